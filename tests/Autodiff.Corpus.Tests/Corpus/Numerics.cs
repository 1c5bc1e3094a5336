using System;
using Autodiff;

namespace Corpus.Numerics;

/// <summary>Root finding, fixed points, quadrature, interpolation and ODE steppers with parameters.</summary>
public static partial class Solvers
{
    private const int MaxSteps = 200;
    private const double Tolerance = 1e-14;

    // Five-point Gauss–Legendre nodes and weights on [-1, 1].
    private static readonly double[] GaussNodes = { -0.9061798459386640, -0.5384693101056831, 0.0, 0.5384693101056831, 0.9061798459386640 };
    private static readonly double[] GaussWeights = { 0.2369268850561891, 0.4786286704993665, 0.5688888888888889, 0.4786286704993665, 0.2369268850561891 };

    // A tabulated function on a uniform grid, for the interpolation routines.
    private static readonly double[] GridValues = { 0.0, 0.8, 1.1, 0.7, 0.2, -0.4, -0.6, -0.1, 0.5 };
    private const double GridStart = 0.0, GridStep = 0.5;

    // expect: clean
    // domain: a in (0.1, 50)
    [Differentiable]
    public static double NewtonSqrt(double a)
    {
        double x = a > 1 ? a : 1;
        for (int i = 0; i < MaxSteps; i++)
        {
            double next = 0.5 * (x + a / x);
            if (Math.Abs(next - x) <= Tolerance * next)
                return next;
            x = next;
        }
        return x;
    }

    // expect: clean
    // domain: a in (0.1, 20)
    [Differentiable]
    public static double NewtonCubeRoot(double a)
    {
        double x = 1;
        int i = 0;
        while (i++ < MaxSteps)
        {
            double step = (x * x * x - a) / (3 * x * x);
            x -= step;
            if (Math.Abs(step) < Tolerance) break;
        }
        return x;
    }

    // expect: clean
    // domain: m in (0.1, 3); e in (0.05, 0.8)
    [Differentiable]
    public static double KeplerEccentricAnomaly(double m, double e)
    {
        double E = e < 0.8 ? m : Math.PI;
        for (int i = 0; i < 50; i++)
        {
            double f = E - e * Math.Sin(E) - m;
            double step = f / (1 - e * Math.Cos(E));
            E -= step;
            if (Math.Abs(step) < 1e-15) break;
        }
        return E;
    }

    // expect: clean
    // domain: a in (0.2, 0.9)
    [Differentiable]
    public static double FixedPointCosine(double a)
    {
        // x = a cos x by plain iteration (a contraction for a < 1).
        double x = 0.5;
        for (int i = 0; i < 400; i++)
        {
            double next = a * Math.Cos(x);
            if (Math.Abs(next - x) < 1e-16) return next;
            x = next;
        }
        return x;
    }

    // expect: clean
    // domain: c in (0.5, 4)
    [Differentiable]
    public static double SecantRoot(double c)
    {
        // Root of x e^x - c.
        double x0 = 0, x1 = 1;
        double f0 = x0 * Math.Exp(x0) - c, f1 = x1 * Math.Exp(x1) - c;
        for (int i = 0; i < 100; i++)
        {
            if (f1 == f0) break;
            double x2 = x1 - f1 * (x1 - x0) / (f1 - f0);
            x0 = x1;
            f0 = f1;
            x1 = x2;
            f1 = x1 * Math.Exp(x1) - c;
            if (Math.Abs(x1 - x0) < 1e-15) break;
        }
        return x1;
    }

    // expect: clean
    // domain: c in (0.5, 4)
    [Differentiable]
    public static double BisectionThenNewton(double c)
    {
        // Bracket the root of x³ + x - c on [0, c] roughly, then polish with Newton.
        double lo = 0, hi = c;
        for (int i = 0; i < 20; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (mid * mid * mid + mid - c > 0) hi = mid; else lo = mid;
        }
        double x = 0.5 * (lo + hi);
        for (int i = 0; i < 8; i++)
            x -= (x * x * x + x - c) / (3 * x * x + 1);
        return x;
    }

    // expect: clean
    // domain: a in (0.2, 3); b in (0.5, 2)
    [Differentiable]
    public static double SimpsonGaussian(double a, double b)
    {
        // ∫_0^b exp(-a t²) dt by composite Simpson with 64 panels.
        const int n = 64;
        double h = b / n;
        double sum = 1 + Math.Exp(-a * b * b);
        for (int i = 1; i < n; i++)
        {
            double t = i * h;
            sum += (i % 2 == 1 ? 4 : 2) * Math.Exp(-a * t * t);
        }
        return sum * h / 3;
    }

    // expect: clean
    // domain: k in (0.5, 3)
    [Differentiable]
    public static double TrapezoidSine(double k)
    {
        const int n = 100;
        double h = Math.PI / n, s = 0;
        for (int i = 0; i <= n; i++)
        {
            double w = i == 0 || i == n ? 0.5 : 1.0;
            s += w * Math.Sin(k * i * h);
        }
        return s * h;
    }

    // expect: clean
    // domain: a in (-1, 0); b in (1, 2); s in (0.5, 2)
    [Differentiable]
    public static double GaussLegendre(double a, double b, double s)
    {
        double half = 0.5 * (b - a), mid = 0.5 * (a + b), sum = 0;
        for (int i = 0; i < GaussNodes.Length; i++)
        {
            double x = mid + half * GaussNodes[i];
            sum += GaussWeights[i] * Math.Exp(-s * x * x);
        }
        return half * sum;
    }

    // expect: clean
    // domain: a in (0.5, 2); b in (0.5, 2)
    [Differentiable]
    public static double AdaptiveSimpsonLog(double a, double b) => AdaptiveSimpson(a, 0, b, 1e-9, 12);

    // expect: clean
    // domain: a in (0.5, 2); lo in (0, 0.1); hi in (1, 2); depth = 8
    [Differentiable]
    private static double AdaptiveSimpson(double a, double lo, double hi, [NoGrad] double eps, int depth)
    {
        double mid = 0.5 * (lo + hi);
        double whole = (hi - lo) / 6 * (F(a, lo) + 4 * F(a, mid) + F(a, hi));
        double left = (mid - lo) / 6 * (F(a, lo) + 4 * F(a, 0.5 * (lo + mid)) + F(a, mid));
        double right = (hi - mid) / 6 * (F(a, mid) + 4 * F(a, 0.5 * (mid + hi)) + F(a, hi));
        if (depth <= 0 || Math.Abs(left + right - whole) < 15 * eps)
            return left + right + (left + right - whole) / 15;
        return AdaptiveSimpson(a, lo, mid, eps / 2, depth - 1) + AdaptiveSimpson(a, mid, hi, eps / 2, depth - 1);
    }

    // expect: clean
    // domain: a in (0.5, 2); t in (0, 2)
    [Differentiable]
    private static double F(double a, double t) => Math.Log(1 + a * t * t);

    // expect: clean
    // domain: c in (0.5, 2)
    [Differentiable]
    public static double Romberg(double c)
    {
        // ∫_0^1 1/(1 + c x²) dx, Romberg to depth 6 in a local table.
        const int depth = 6;
        double[] r = new double[depth * depth];
        double h = 1;
        r[0] = 0.5 * h * (1 + 1 / (1 + c));
        for (int i = 1; i < depth; i++)
        {
            h /= 2;
            double sum = 0;
            int count = 1 << (i - 1);
            for (int k = 1; k <= count; k++)
            {
                double x = (2 * k - 1) * h;
                sum += 1 / (1 + c * x * x);
            }
            r[i * depth] = 0.5 * r[(i - 1) * depth] + h * sum;
            double factor = 1;
            for (int j = 1; j <= i; j++)
            {
                factor *= 4;
                r[i * depth + j] = r[i * depth + j - 1] + (r[i * depth + j - 1] - r[(i - 1) * depth + j - 1]) / (factor - 1);
            }
        }
        return r[(depth - 1) * depth + depth - 1];
    }

    // expect: clean
    // domain: x in (0.1, 3.9)
    [Differentiable]
    public static double LinearInterpolation(double x)
    {
        if (x <= GridStart) return GridValues[0];
        double position = (x - GridStart) / GridStep;
        int i = (int)Grad.Stop(position);
        if (i >= GridValues.Length - 1) return GridValues[GridValues.Length - 1];
        double t = position - i;
        return GridValues[i] * (1 - t) + GridValues[i + 1] * t;
    }

    // expect: clean, ADIFF008
    // domain: x in (0.1, 3.9)
    [Differentiable]
    public static double LinearInterpolationWithCast(double x)
    {
        double position = (x - GridStart) / GridStep;
        int i = (int)position;
        double t = position - i;
        return GridValues[i] + t * (GridValues[i + 1] - GridValues[i]);
    }

    // expect: clean
    // domain: ys len 6; x in (0.1, 4.9)
    [Differentiable]
    public static double InterpolateTable(double[] ys, double x)
    {
        // Search by comparisons: the node index carries no gradient.
        int i = 0;
        while (i < ys.Length - 2 && x > i + 1) i++;
        double t = x - i;
        return ys[i] + t * (ys[i + 1] - ys[i]);
    }

    // expect: clean
    // domain: t in (0, 1)
    [Differentiable]
    public static double CubicHermite(double p0, double m0, double p1, double m1, double t)
    {
        double t2 = t * t, t3 = t2 * t;
        return (2 * t3 - 3 * t2 + 1) * p0 + (t3 - 2 * t2 + t) * m0 + (-2 * t3 + 3 * t2) * p1 + (t3 - t2) * m1;
    }

    // expect: clean
    // domain: ys len 6; x in (0.1, 4.9)
    [Differentiable]
    public static double NaturalCubicSpline(double[] ys, double x)
    {
        // Unit-spaced nodes 0..n-1; second derivatives by the Thomas algorithm.
        int n = ys.Length;
        double[] m = new double[n];
        double[] c = new double[n];
        double[] d = new double[n];
        for (int i = 1; i < n - 1; i++)
        {
            double rhs = 6 * (ys[i + 1] - 2 * ys[i] + ys[i - 1]);
            double denom = 4 - (i > 1 ? c[i - 1] : 0);
            c[i] = 1 / denom;
            d[i] = (rhs - (i > 1 ? d[i - 1] : 0)) / denom;
        }
        for (int i = n - 2; i >= 1; i--)
            m[i] = d[i] - c[i] * m[i + 1];
        int k = 0;
        while (k < n - 2 && x > k + 1) k++;
        double a = k + 1 - x, b = x - k;
        return a * ys[k] + b * ys[k + 1] + ((a * a * a - a) * m[k] + (b * b * b - b) * m[k + 1]) / 6;
    }

    // expect: clean
    // domain: x in (0, 1); y in (0, 1)
    [Differentiable]
    public static double Bilinear(double f00, double f10, double f01, double f11, double x, double y) =>
        f00 * (1 - x) * (1 - y) + f10 * x * (1 - y) + f01 * (1 - x) * y + f11 * x * y;

    // expect: clean
    // domain: r in (0.2, 2); y0 in (0.05, 0.5); steps = 50
    [Differentiable]
    public static double LogisticGrowthEuler(double r, double y0, int steps)
    {
        double y = y0, h = 0.05;
        for (int i = 0; i < steps; i++)
            y += h * r * y * (1 - y);
        return y;
    }

    // expect: clean
    // domain: r in (0.2, 2); y0 in (0.05, 0.5)
    [Differentiable]
    public static double LogisticGrowthRk4(double r, double y0)
    {
        double y = y0;
        const double h = 0.1;
        for (int i = 0; i < 30; i++)
        {
            double k1 = r * y * (1 - y);
            double k2 = r * (y + h / 2 * k1) * (1 - (y + h / 2 * k1));
            double k3 = r * (y + h / 2 * k2) * (1 - (y + h / 2 * k2));
            double k4 = r * (y + h * k3) * (1 - (y + h * k3));
            y += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
        }
        return y;
    }

    // expect: clean
    // domain: omega in (0.5, 2); x0 in (-1, 1); v0 in (-1, 1)
    [Differentiable]
    public static double OscillatorEnergySymplectic(double omega, double x0, double v0)
    {
        double x = x0, v = v0;
        const double dt = 0.01;
        for (int i = 0; i < 300; i++)
        {
            v -= dt * omega * omega * x;
            x += dt * v;
        }
        return 0.5 * v * v + 0.5 * omega * omega * x * x;
    }

    // expect: clean
    // domain: a in (0.5, 3); lr in (0.05, 0.2)
    [Differentiable]
    public static double UnrolledGradientDescent(double a, double lr)
    {
        // Minimise (w - a)² + 0.1 w⁴ by 40 steps of gradient descent; return the final loss.
        double w = 0;
        for (int step = 0; step < 40; step++)
        {
            double grad = 2 * (w - a) + 0.4 * w * w * w;
            w -= lr * grad;
        }
        return (w - a) * (w - a) + 0.1 * w * w * w * w;
    }

    // expect: clean
    // domain: a in (2, 3); b in (0.1, 0.5); d in (0.5, 1)
    [Differentiable]
    public static double DominantEigenvaluePowerIteration(double a, double b, double d)
    {
        // Symmetric 2×2 [[a, b], [b, d]].
        double x = 1, y = 0.5;
        double lambda = 0;
        for (int i = 0; i < 200; i++)
        {
            double nx = a * x + b * y, ny = b * x + d * y;
            double norm = Math.Sqrt(nx * nx + ny * ny);
            x = nx / norm;
            y = ny / norm;
            lambda = x * (a * x + b * y) + y * (b * x + d * y);
        }
        return lambda;
    }

    // expect: clean
    // domain: a in (2, 3); b in (0.1, 0.5); d in (0.5, 1)
    [Differentiable]
    public static double DominantEigenvalueClosedForm(double a, double b, double d) =>
        0.5 * (a + d) + Math.Sqrt(0.25 * (a - d) * (a - d) + b * b);

    // expect: clean
    // domain: a in (2, 3); d in (2, 3)
    [Differentiable]
    public static double Cramer2x2FirstUnknown(double a, double b, double c, double d, double e, double f)
    {
        double det = a * d - b * c;
        if (Math.Abs(det) < 1e-12) throw new InvalidOperationException("singular");
        return (e * d - b * f) / det;
    }

    // expect: clean
    // domain: m len 9; m in (-1, 1)
    [Differentiable]
    public static double DeterminantPartialPivot(double[] m)
    {
        // 3×3, row-major, Gaussian elimination with partial pivoting on a local copy.
        const int n = 3;
        double[] a = new double[9];
        for (int i = 0; i < 9; i++) a[i] = m[i] + (i % 4 == 0 ? 3 : 0);
        double det = 1;
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
                if (Math.Abs(a[r * n + col]) > Math.Abs(a[pivot * n + col])) pivot = r;
            if (pivot != col)
            {
                for (int k = 0; k < n; k++)
                {
                    double t = a[col * n + k];
                    a[col * n + k] = a[pivot * n + k];
                    a[pivot * n + k] = t;
                }
                det = -det;
            }
            det *= a[col * n + col];
            for (int r = col + 1; r < n; r++)
            {
                double factor = a[r * n + col] / a[col * n + col];
                for (int k = col; k < n; k++) a[r * n + k] -= factor * a[col * n + k];
            }
        }
        return det;
    }

    // expect: clean
    // domain: diag in (3, 4); off in (-1, 1); rhs in (-1, 1); diag len 4; off len 3; rhs len 4
    [Differentiable]
    public static double TridiagonalSolveLast(double[] diag, double[] off, double[] rhs)
    {
        int n = diag.Length;
        double[] c = new double[n];
        double[] d = new double[n];
        c[0] = off[0] / diag[0];
        d[0] = rhs[0] / diag[0];
        for (int i = 1; i < n; i++)
        {
            double denom = diag[i] - off[i - 1] * c[i - 1];
            if (i < n - 1) c[i] = off[i] / denom;
            d[i] = (rhs[i] - off[i - 1] * d[i - 1]) / denom;
        }
        double x = d[n - 1];
        double total = x;
        for (int i = n - 2; i >= 0; i--)
        {
            x = d[i] - c[i] * x;
            total += x;
        }
        return total;
    }

    // expect: clean
    // domain: x in (-1.2, 1.2)
    [Differentiable]
    public static double TanContinuedFraction(double x)
    {
        // Lambert: tan x = x / (1 - x²/(3 - x²/(5 - ...))).
        double x2 = x * x, f = 2 * 20 + 1;
        for (int k = 20; k >= 1; k--)
            f = 2 * k - 1 - x2 / f;
        return x / f;
    }

    // expect: clean
    // domain: x in (0.2, 5)
    [Differentiable]
    public static double GoldenSectionMinimumValue(double x)
    {
        // min over t in [0, 4] of (t - x)² + sin(3t); the minimiser found by comparisons only,
        // so the value is differentiated through its last evaluation.
        double a = 0, b = 4;
        double phi = (Math.Sqrt(5) - 1) / 2;
        for (int i = 0; i < 80; i++)
        {
            double c = b - phi * (b - a), d = a + phi * (b - a);
            if ((c - x) * (c - x) + Math.Sin(3 * c) < (d - x) * (d - x) + Math.Sin(3 * d)) b = d; else a = c;
        }
        double t = 0.5 * (a + b);
        return (t - x) * (t - x) + Math.Sin(3 * t);
    }

    // expect: ADIFF009
    // domain: c in (0.5, 4)
    [Differentiable]
    public static double NewtonWithLocalFunction(double c)
    {
        double F(double t) => t * t * t - c;
        double x = 1;
        for (int i = 0; i < 30; i++) x -= F(x) / (3 * x * x);
        return x;
    }

    // expect: ADIFF007
    // domain: c in (0.5, 4)
    [Differentiable]
    public static double NewtonWithDelegate(double c)
    {
        Func<double, double> f = t => t * t - c;
        double x = 1;
        for (int i = 0; i < 30; i++) x -= f(x) / (2 * x);
        return x;
    }

    // expect: ADIFF009
    // domain: c in (0.5, 4)
    [Differentiable]
    public static double GuardedNewton(double c)
    {
        double x = 1;
        try
        {
            for (int i = 0; i < 30; i++) x -= (x * x - c) / (2 * x);
        }
        catch (ArithmeticException)
        {
            x = Math.Sqrt(c);
        }
        return x;
    }

    // expect: clean
    // domain: rate in (0.1, 2); y0 in (0.5, 2); t in (0.5, 3)
    [Differentiable]
    public static double ExponentialDecayCheckedAgainstClosedForm(double rate, double y0, double t)
    {
        double y = y0;
        const int n = 400;
        double h = t / n;
        for (int i = 0; i < n; i++) y -= h * rate * y;
        double exact = y0 * Math.Exp(-rate * t);
        if (Math.Abs(y - exact) > 0.05 * Math.Abs(exact))
            Console.WriteLine("step too coarse");
        return y;
    }
}
