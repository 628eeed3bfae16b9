import type { Config } from '../../platform/config/config.ts';
import type { ProviderEndpoint } from './provider-adapter.ts';
import { mpesaC2bConfirmation, mpesaC2bValidation } from './providers/mpesa.ts';

/** The endpoints of the providers the scheme has configured (a provider without its secret is off). */
export function providerEndpoints(config: Config): ProviderEndpoint[] {
  const endpoints: ProviderEndpoint[] = [];
  if (config.MPESA_CALLBACK_SECRET) {
    endpoints.push(mpesaC2bValidation, mpesaC2bConfirmation);
  }
  return endpoints;
}
