/** Cost arithmetic: $/1M tokens, fleet $/hr and $/month, rollout surge, blue-green cutover, hosted-API break-even. */
import type { HostedApiPrice } from '../types';
import type { HostedApiComparison } from './types';

export const DEFAULT_UTILIZATION = 0.7;
export const HOURS_PER_MONTH = 730;

/** $/1M output tokens = $/hr / (tok/s x utilization x 3600) x 1e6. Null when tok/s or utilization is not positive. */
export function usdPerMillionTokens(usdPerHour: number, tokensPerSecond: number, utilization = DEFAULT_UTILIZATION): number | null {
  if (!(tokensPerSecond > 0) || !(utilization > 0)) return null;
  return (usdPerHour / (tokensPerSecond * utilization * 3600)) * 1e6;
}

/** Fleet $/hr: GPUs per replica x replicas x $/GPU-hr. */
export function fleetUsdPerHour(usdPerGpuHour: number, gpusPerReplica: number, replicas: number): number {
  return usdPerGpuHour * gpusPerReplica * replicas;
}

/** $/month at hoursPerMonth (default 730 h = 8,760 h / 12). */
export function usdPerMonth(usdPerHour: number, hoursPerMonth = HOURS_PER_MONTH): number {
  return usdPerHour * hoursPerMonth;
}

/** Self-hosted cost of a number of GPU-hours. */
export function selfHostedCost(gpuHours: number, usdPerGpuHour: number): number {
  return gpuHours * usdPerGpuHour;
}

/** Hosted-API cost of a token volume: input/1e6 x $in + output/1e6 x $out. */
export function hostedApiCost(tokens: { inputTokens: number; outputTokens: number }, price: HostedApiPrice): number {
  return (tokens.inputTokens / 1e6) * price.inputPerMillion + (tokens.outputTokens / 1e6) * price.outputPerMillion;
}

/** Hosted-API cost per day for a request volume. */
export function hostedApiCostPerDay(
  requestsPerDay: number, inputTokensPerRequest: number, outputTokensPerRequest: number, price: HostedApiPrice,
): number {
  return hostedApiCost({ inputTokens: requestsPerDay * inputTokensPerRequest, outputTokens: requestsPerDay * outputTokensPerRequest }, price);
}

/** Rolling-update surge: extra GPUs running for the rollout, x $/GPU-hr. */
export function rolloutSurgeCost(surgeGpus: number, rolloutSeconds: number, usdPerGpuHour: number): number {
  return surgeGpus * (rolloutSeconds / 3600) * usdPerGpuHour;
}

/** Blue-green: a second full fleet runs for the cutover, so the extra cost is one fleet's $/hr x cutover hours. */
export function blueGreenCutoverCost(fleetUsdPerHour: number, cutoverSeconds: number): number {
  return fleetUsdPerHour * (cutoverSeconds / 3600);
}

/**
 * Break-even against a hosted API: the self-hosted fleet is a fixed $/day; the hosted API costs per request.
 * Break-even requests/day = fleet $/day / hosted $/request. Capacity uses output tok/s x utilization.
 */
export function compareHostedApi(opts: {
  price: HostedApiPrice;
  fleetUsdPerHour: number;
  inputTokensPerRequest: number;
  outputTokensPerRequest: number;
  /** Fleet output tokens/s (all replicas), if known. */
  fleetTokensPerSecond?: number | null;
  utilization?: number;
}): HostedApiComparison {
  const { price, inputTokensPerRequest: inTok, outputTokensPerRequest: outTok } = opts;
  const hostedUsdPerRequest = hostedApiCost({ inputTokens: inTok, outputTokens: outTok }, price);
  const fleetUsdPerDay = opts.fleetUsdPerHour * 24;
  const breakEvenRequestsPerDay = hostedUsdPerRequest > 0 ? fleetUsdPerDay / hostedUsdPerRequest : Infinity;
  const util = opts.utilization ?? DEFAULT_UTILIZATION;
  const cap = opts.fleetTokensPerSecond && opts.fleetTokensPerSecond > 0 && outTok > 0
    ? (opts.fleetTokensPerSecond * util * 86400) / outTok
    : null;
  return {
    name: price.name,
    inputTokensPerRequest: inTok,
    outputTokensPerRequest: outTok,
    hostedUsdPerRequest,
    hostedUsdPerMillionOutputTokens: outTok > 0 ? (hostedUsdPerRequest / outTok) * 1e6 : 0,
    fleetUsdPerDay,
    breakEvenRequestsPerDay,
    breakEvenTokensPerDay: breakEvenRequestsPerDay * (inTok + outTok),
    fleetCapacityRequestsPerDay: cap,
    cheaperAtCapacity: cap === null ? null : cap >= breakEvenRequestsPerDay ? 'self-hosted' : 'hosted',
  };
}
