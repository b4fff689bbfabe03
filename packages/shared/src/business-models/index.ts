import { complexServiceMatrixStrategy } from "./complex-service-matrix.js";
import { multiBranchHotlineStrategy } from "./multi-branch-hotline.js";
import { simpleStrategy } from "./simple.js";
import { BUSINESS_MODELS, type BusinessModel, type BusinessModelStrategy } from "./types.js";

export * from "./types.js";
export { simpleStrategy } from "./simple.js";
export { multiBranchHotlineStrategy } from "./multi-branch-hotline.js";
export { complexServiceMatrixStrategy } from "./complex-service-matrix.js";
export * from "./hotline-routing.js";

/**
 * One entry per business model. The Record type makes a model without a strategy a type error,
 * so adding a model = one new file + one line here.
 */
export const STRATEGIES: Readonly<Record<BusinessModel, BusinessModelStrategy>> = {
  simple: simpleStrategy,
  multi_branch_hotline: multiBranchHotlineStrategy,
  complex_service_matrix: complexServiceMatrixStrategy,
};

export function isBusinessModel(value: unknown): value is BusinessModel {
  return typeof value === "string" && (BUSINESS_MODELS as readonly string[]).includes(value);
}

/** The strategy of a business model; throws RangeError for an unknown model (e.g. bad DB value). */
export function getStrategy(model: BusinessModel): BusinessModelStrategy {
  if (!isBusinessModel(model)) throw new RangeError(`Unknown business model: ${JSON.stringify(model)}`);
  return STRATEGIES[model];
}
