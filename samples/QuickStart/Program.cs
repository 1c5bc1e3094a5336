using System;
using System.IO;
using System.Linq;
using Autodiff;
using QuickStart;

// 1. The seed example: L = 10 - (w3·b + w4·c) with b = w1·a and c = w2·a.
//    a reaches L along two paths, so ∂L/∂a = -(w3·w1 + w4·w2) is their sum.
double a = 2, w1 = 3, w2 = 4, w3 = 5, w4 = 6;
double loss = Seed.LossGradient(a, w1, w2, w3, w4, out double da, out double dw1, out double dw2, out double dw3, out double dw4);
Console.WriteLine("Seed example: a = 2, w1 = 3, w2 = 4, w3 = 5, w4 = 6");
Console.WriteLine($"  L        = {loss}");
Console.WriteLine($"  dL/da    = {da}   (through b: {-w3 * w1}, through c: {-w4 * w2})");
Console.WriteLine($"  dL/dw1   = {dw1}");
Console.WriteLine($"  dL/dw2   = {dw2}");
Console.WriteLine($"  dL/dw3   = {dw3}");
Console.WriteLine($"  dL/dw4   = {dw4}");

// The pullback takes an incoming gradient (the seed) and adds into accumulators, as .grad does.
double ga = 0, gw1 = 0, gw2 = 0, gw3 = 0, gw4 = 0;
Seed.LossPullback(a, w1, w2, w3, w4, 0.5, ref ga, ref gw1, ref gw2, ref gw3, ref gw4);
Seed.LossPullback(a, w1, w2, w3, w4, 0.5, ref ga, ref gw1, ref gw2, ref gw3, ref gw4);
Console.WriteLine($"  two pullbacks with seed 0.5 accumulate dL/da = {ga}");
Console.WriteLine();

// 2. The code the generator wrote for it (also in obj/generated after a build).
Console.WriteLine("Generated backward pass of Seed.Loss (from LossGradient):");
string generated = Path.Combine(AppContext.BaseDirectory, "generated");
string? file = Directory.Exists(generated) ? Directory.GetFiles(generated, "QuickStart.Seed.Autodiff.g.cs", SearchOption.AllDirectories).FirstOrDefault() : null;
if (file is null)
{
    Console.WriteLine("  (generated file not found; build with EmitCompilerGeneratedFiles=true to see it)");
}
else
{
    string[] lines = File.ReadAllLines(file);
    int start = Array.FindIndex(lines, l => l.Contains("LossGradient("));
    int backward = Array.FindIndex(lines, start, l => l.Contains("// Backward pass"));
    int end = Array.FindIndex(lines, backward, l => l.TrimStart().StartsWith("return", StringComparison.Ordinal));
    foreach (string line in lines[backward..(end + 1)])
    {
        Console.WriteLine("  " + line.Trim());
    }
}
Console.WriteLine();

// The same graph as the notes on backpropagation draw it: each edge carries its local derivative,
// and ∂L/∂a is the sum over the two paths from a to L of the products along them.
Console.WriteLine("Computation graph of Seed.Loss (Mermaid; the README shows it rendered; Seed.Loss.dot for Graphviz):");
foreach (string line in Seed.LossGraphMermaid.TrimEnd().Split('\n'))
{
    Console.WriteLine("  " + line);
}
File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "Seed.Loss.dot"), Seed.LossGraphDot);
File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "Seed.Loss.mmd"), Seed.LossGraphMermaid);

// Forward mode: one FTangent call gives the derivative along a direction, here ∂L/∂a.
(double lossValue, double dLda) = Seed.LossTangent(a, w1, w2, w3, w4, 1, 0, 0, 0, 0);
Console.WriteLine($"Forward mode: LossTangent along a gives L = {lossValue}, dL/da = {dLda}");
Console.WriteLine();

// 3. Trust, but verify: the generated gradient against central differences (torch.autograd.gradcheck).
GradCheckResult check = GradCheck.Gradient(
    p => Rosenbrock.Value(p[0], p[1]),
    p => { Rosenbrock.ValueGradient(p[0], p[1], out double dx, out double dy); return [dx, dy]; },
    [-1.5, 2]);
Console.WriteLine("Checking Rosenbrock.ValueGradient at (-1.5, 2):");
Console.WriteLine($"  {check}");
Console.WriteLine();

// 4. A small optimisation: gradient descent with momentum down the Rosenbrock valley.
Console.WriteLine("Minimising Rosenbrock(x, y) = (1 - x)² + 100 (y - x²)² from (-1.5, 2):");
double x = -1.5, y = 2, vx = 0, vy = 0;
const double learningRate = 2e-4, momentum = 0.9;
for (int step = 0; step <= 20000; step++)
{
    double value = Rosenbrock.ValueGradient(x, y, out double dx, out double dy);
    if (step % 2500 == 0)
    {
        Console.WriteLine($"  step {step,5}: f = {value,11:0.0000e+00}   (x, y) = ({x,8:F5}, {y,8:F5})");
    }
    vx = momentum * vx - learningRate * dx;
    vy = momentum * vy - learningRate * dy;
    x += vx;
    y += vy;
}
Console.WriteLine($"  reached ({x:F5}, {y:F5}); the minimum is at (1, 1).");
Console.WriteLine();

// 5. Forward mode: Newton's method on Kepler's equation E - e sin E = M, with f and f' from one
//    FTangent call (tangent 1 along E), as torch.func.jvp would give them.
Console.WriteLine("Solving Kepler's equation E - 0.6 sin E = 1 by Newton's method (f and f' from Kepler.ResidualTangent):");
double anomaly = 1.0;
for (int iteration = 1; iteration <= 6; iteration++)
{
    (double residual, double slope) = Kepler.ResidualTangent(anomaly, 0.6, 1.0, 1.0);
    anomaly -= residual / slope;
    Console.WriteLine($"  iteration {iteration}: E = {anomaly:F15}   |f(E)| before the step = {Math.Abs(residual):0.0e+00}");
}
Console.WriteLine();

// 6. A vector result: the arm's hand position, and its Jacobian from HandJacobian (reverse mode here,
//    one pullback per output; forward mode when a method has fewer inputs than outputs). Damped
//    Gauss-Newton steps move the hand onto a target, as inverse kinematics does.
Console.WriteLine("Reaching (0.6, 1.2) with a two-link arm (Jacobian of Arm.Hand from Arm.HandJacobian):");
double[] angles = [0.3, 0.4], target = [0.6, 1.2];
for (int iteration = 0; iteration <= 7; iteration++)
{
    double[] hand = Arm.HandJacobian(angles, out double[,] j);
    double ex = target[0] - hand[0], ey = target[1] - hand[1];
    Console.WriteLine($"  step {iteration}: angles = ({angles[0]:F6}, {angles[1]:F6})   hand = ({hand[0]:F6}, {hand[1]:F6})   distance = {Math.Sqrt(ex * ex + ey * ey):0.0e+00}");
    // (JᵀJ + λI) Δ = Jᵀe, a 2×2 system.
    const double damping = 0.1;
    double a11 = j[0, 0] * j[0, 0] + j[1, 0] * j[1, 0] + damping, a12 = j[0, 0] * j[0, 1] + j[1, 0] * j[1, 1];
    double a22 = j[0, 1] * j[0, 1] + j[1, 1] * j[1, 1] + damping;
    double b1 = j[0, 0] * ex + j[1, 0] * ey, b2 = j[0, 1] * ex + j[1, 1] * ey;
    double determinant = a11 * a22 - a12 * a12;
    angles[0] += (a22 * b1 - a12 * b2) / determinant;
    angles[1] += (a11 * b2 - a12 * b1) / determinant;
}
