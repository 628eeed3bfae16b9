import type { Config } from '../../platform/config/config.ts';
import type { ProviderEndpoint } from './provider-adapter.ts';
import { mpesaC2bConfirmation, mpesaC2bValidation, mpesaStkCallback } from './providers/mpesa.ts';
import { mtnRequestToPayPost, mtnRequestToPayPut } from './providers/mtn.ts';
import { airtelCollectionCallback } from './providers/airtel.ts';
import { mojaloopEndpoints } from './providers/mojaloop.ts';
import { genericWebhookEndpoint } from './providers/generic-webhook.ts';

/** The endpoints of the providers the scheme has configured (a provider without its secret is off). */
export function providerEndpoints(config: Config): ProviderEndpoint[] {
  const endpoints: ProviderEndpoint[] = [];
  if (config.MPESA_CALLBACK_SECRET) {
    endpoints.push(mpesaC2bValidation, mpesaC2bConfirmation, mpesaStkCallback);
  }
  if (config.MTN_CALLBACK_SECRET) {
    endpoints.push(mtnRequestToPayPut, mtnRequestToPayPost);
  }
  if (config.AIRTEL_CALLBACK_SECRET) {
    endpoints.push(airtelCollectionCallback);
  }
  if (config.MOJALOOP_FSP_PUBLIC_KEY) {
    endpoints.push(...mojaloopEndpoints(config));
  }
  if (config.PAYMENT_WEBHOOK_SECRET) {
    endpoints.push(genericWebhookEndpoint(config));
  }
  return endpoints;
}
