using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Autodiff.Runtime;

/// <summary>
/// A quotient and its tangent by a denominator the tangent does not flow through:
/// <c>(t, dt) = Quotients.Of(q, dq, c)</c> is <c>t = q / c; dt = dq / c;</c> in one vector division.
/// The divider is the slowest unit a series such as Σ qᵐ / m!² keeps busy; forward mode, which
/// divides the value and its tangent by the same number, would otherwise take it twice as long.
/// Each lane is an IEEE division, so both results are bit for bit the scalar quotients.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Quotients
{
    /// <summary><c>(value / denominator, tangent / denominator)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Value, double Tangent) Of(double value, double tangent, double denominator)
    {
        if (!Vector128.IsHardwareAccelerated)
        {
            return (value / denominator, tangent / denominator);
        }
        Vector128<double> quotients = Vector128.Create(value, tangent) / Vector128.Create(denominator);
        return (quotients.GetElement(0), quotients.GetElement(1));
    }

    /// <summary><c>(value / denominator, tangent / denominator)</c> in single precision.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float Value, float Tangent) Of(float value, float tangent, float denominator)
    {
        if (!Vector128.IsHardwareAccelerated)
        {
            return (value / denominator, tangent / denominator);
        }
        Vector128<float> quotients = Vector128.Create(value, tangent, value, tangent) / Vector128.Create(denominator);
        return (quotients.GetElement(0), quotients.GetElement(1));
    }
}
