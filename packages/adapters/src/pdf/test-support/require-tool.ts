import { execFileSync } from 'node:child_process';

const cache = new Map<string, boolean>();

/**
 * Whether an external tool (pdfsig, qpdf…) is installed. Missing tools skip tests locally, but under CI a
 * skipped check would pass silently, so there it throws instead.
 */
export const requireTool = (tool: string): boolean => {
  let found = cache.get(tool);
  if (found === undefined) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
      found = true;
    } catch {
      found = false;
    }
    cache.set(tool, found);
  }
  if (!found && process.env.CI === 'true')
    throw new Error(`${tool} is required under CI but is not installed`);
  return found;
};

export const requireTools = (...tools: ReadonlyArray<string>): boolean =>
  tools.map(requireTool).every(Boolean);
