using Autodiff;

namespace QuickStart;

public static partial class Seed
{
    /// <summary>
    /// The seed example: a reaches d along two paths (through b and through c), so its gradient
    /// is the sum over both paths. Graph = true also generates the computation graph as Mermaid and
    /// DOT text (LossGraphMermaid, LossGraphDot), each edge labelled with its local derivative.
    /// </summary>
    [Differentiable(Graph = true)]
    public static double Loss(double a, double w1, double w2, double w3, double w4)
    {
        double b = w1 * a;
        double c = w2 * a;
        double d = w3 * b + w4 * c;
        double L = 10 - d;
        return L;
    }
}
