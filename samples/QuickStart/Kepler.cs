using System;
using Autodiff;

namespace QuickStart;

public static partial class Kepler
{
    /// <summary>
    /// Kepler's equation for an orbit of eccentricity e: the eccentric anomaly E solves
    /// E − e·sin E = M for the mean anomaly M. Newton's method needs f'(E), which forward mode
    /// gives in the same call as f(E): <c>ResidualTangent(E, e, M, 1)</c>.
    /// </summary>
    [Differentiable]
    public static double Residual(double anomaly, [NoGrad] double eccentricity, [NoGrad] double meanAnomaly) =>
        anomaly - eccentricity * Math.Sin(anomaly) - meanAnomaly;
}
