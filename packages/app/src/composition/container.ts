import 'reflect-metadata';
import type { LifecycleNotifier, QuoteSource } from '@paraphe/domain';
import { Container } from 'inversify';
import type { AdapterOverrides } from './adapter-overrides.js';
import type { ParapheConfig } from './config.js';
import { infrastructureModule } from './infrastructure.module.js';
import { TYPES } from './tokens.js';
import { useCasesModule } from './use-cases.module.js';

/** The composition root: one container per Paraphe instance. */
export const buildContainer = (
  config: ParapheConfig,
  crm: QuoteSource,
  notifier: LifecycleNotifier | undefined,
  overrides: AdapterOverrides,
): Container => {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(TYPES.ParapheConfig).toConstantValue(config);
  container.load(infrastructureModule(crm, notifier, overrides), useCasesModule);
  return container;
};
