/**
 * The one estimator contract of this lib, scikit-learn's rules in TypeScript:
 * the constructor stores typed options (with defaults) and does nothing else;
 * `fit` validates, replaces all learned state and returns `this`; `predict`
 * on an unfitted model throws `NotFittedError`; `params()` returns the
 * resolved options; `toJSON()` gives a plain JSON document that the class's
 * static `fromJSON` turns back into an equal, fitted model.
 */
export interface Estimator<In, P> {
  fit(X: In, y: Float64Array): this;
  predict(X: In): Float64Array;
  params(): P;
  toJSON(): object;
}
