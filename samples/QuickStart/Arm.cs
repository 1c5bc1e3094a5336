using System;
using Autodiff;

namespace QuickStart;

public static partial class Arm
{
    /// <summary>
    /// Where the hand of a planar arm is, for its two joint angles: a shoulder link of length 1 and
    /// an elbow link of length 0.8. A vector result: <c>HandJacobian</c> gives ∂hand[i]/∂angles[j].
    /// </summary>
    [Differentiable]
    public static double[] Hand(double[] angles)
    {
        double shoulder = angles[0], elbow = angles[0] + angles[1];
        return [Math.Cos(shoulder) + 0.8 * Math.Cos(elbow), Math.Sin(shoulder) + 0.8 * Math.Sin(elbow)];
    }
}
