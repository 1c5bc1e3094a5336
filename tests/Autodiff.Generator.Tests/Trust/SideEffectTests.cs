using Autodiff.Generator.Tests.Harness;
using Xunit;

namespace Autodiff.Generator.Tests.Trust;

/// <summary>
/// Side effects inside expressions, written the way library code writes them, become statements of
/// their own before the statement that holds them (once rejected as "an assignment inside an
/// expression"). Each method's gradient is checked against central differences.
/// </summary>
public class SideEffectTests
{
    private const string Usings = "using System;\nusing System.Collections.Generic;\nusing Autodiff;\n";

    private static void CheckGradient(string body, double x = 0.7)
    {
        GeneratorRun run = GeneratorRun.Of(Usings + """
            public static partial class C
            {
                [Differentiable]
                public static double F(double x)
                {
                    BODY
                }

                [Differentiable]
                public static double Sum(params double[] values)
                {
                    double s = 0;
                    foreach (double v in values) s += v;
                    return s;
                }
            }
            """.Replace("BODY", body));
        Assert.Empty(run.Diagnostics);
        Execution execution = Execution.Load(run);
        object?[] arguments = { x, null };
        Assert.Equal((double)execution.Call("C", "F", x)!, (double)execution.Call("C", "FGradient", arguments)!);
        Execution.AssertClose(execution.CentralDifference("C", "F", new object?[] { x }, 0), (double)arguments[1]!);
    }

    [Fact]
    public void Post_increment_in_a_loop_condition() => CheckGradient("""
        double y = 1;
        int i = 0;
        while (i++ < 4) y = y * x + 1;
        return y;
        """);

    [Fact]
    public void Pre_decrement_of_a_parameter_copy_in_a_condition() => CheckGradient("""
        int n = 3;
        double u0 = 1, u1 = 2 * x;
        while (--n > 0) { double u2 = 2 * x * u1 - u0; u0 = u1; u1 = u2; }
        return u1;
        """);

    [Fact]
    public void Increment_in_an_array_index() => CheckGradient("""
        double[] buffer = new double[3];
        int count = 0;
        buffer[count++] = x;
        buffer[count++] = x * x;
        buffer[count++] = Math.Sin(x);
        return buffer[0] * buffer[1] + buffer[2] * count;
        """);

    [Fact]
    public void Increment_on_the_right_of_a_short_circuit() => CheckGradient("""
        double y = x;
        int guard = 0;
        while (true)
        {
            y = 0.5 * y + 1;
            if (y < 2.0001 || ++guard > 100) break;
        }
        return y * x + guard;
        """);

    [Fact]
    public void Chained_assignment() => CheckGradient("""
        double a, b;
        a = b = x * x;
        return a * b + a;
        """);

    [Fact]
    public void Out_variable_declaration() => CheckGradient("""
        int quotient = Math.DivRem(17, 5, out int remainder);
        bool parsed = int.TryParse("3", out int three);
        return x * quotient + remainder * x * x + (parsed ? three : 0);
        """);

    [Fact]
    public void Array_initializers_carry_gradients() => CheckGradient("""
        double[] w = { x, x * x, 1 };
        double[] v = new[] { Math.Sin(x), 2.0 };
        double[] u = [x, 3.0];
        return w[0] * w[1] + w[2] + v[0] * v[1] + u[0] * u[1];
        """);

    [Fact]
    public void Params_array_of_a_differentiable_method() => CheckGradient("""
        return Sum(x, x * x, 3) * x;
        """);

    [Fact]
    public void Collection_initializer_of_constants() => CheckGradient("""
        double y = 0;
        foreach (int k in new List<int> { 1, 2, 3 }) y += k * x;
        return y;
        """);
}
