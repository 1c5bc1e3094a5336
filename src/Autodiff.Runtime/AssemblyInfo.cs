using Autodiff;
using Autodiff.Derivatives;

[assembly: DerivativeRules(typeof(MathRules), typeof(TensorDerivatives))]
