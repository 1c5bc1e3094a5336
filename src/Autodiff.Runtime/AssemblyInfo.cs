using Autodiff;
using Autodiff.Derivatives;

[assembly: DerivativeRules(typeof(MathDerivatives), typeof(MathFDerivatives), typeof(MathTangents), typeof(TensorDerivatives))]
