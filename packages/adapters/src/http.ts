/** `@paraphe/adapters/http`: the signer's page and the sender API. Needs `hono` and `@hono/node-server`. */
export * from './http/index.js';
