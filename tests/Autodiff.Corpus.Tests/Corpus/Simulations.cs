using System;
using Autodiff;

namespace Corpus.Simulations;

/// <summary>
/// Time-stepping of ordinary differential equations: mass-spring chains, predator-prey, pendulums,
/// n-body gravity, adaptive steps. State arrays are overwritten every step.
/// </summary>
public static partial class OdeSystems
{
    // Explicit Euler on a damped chain of masses between two walls; the force buffer is refilled each step.
    // expect: clean
    // domain: x0 len 8; v0 len 8; x0 in (-0.5, 0.5); v0 in (-0.5, 0.5); k in (0.5, 2); damping in (0.05, 0.5); dt in (0.01, 0.05); steps = 25
    [Differentiable]
    public static double DampedChainEuler(double[] x0, double[] v0, double k, double damping, double dt, int steps)
    {
        int n = x0.Length;
        var x = new double[n];
        var v = new double[n];
        var force = new double[n];
        for (int i = 0; i < n; i++) { x[i] = x0[i]; v[i] = v0[i]; }

        for (int step = 0; step < steps; step++)
        {
            for (int i = 0; i < n; i++)
            {
                double xl = i == 0 ? 0.0 : x[i - 1];
                double xr = i == n - 1 ? 0.0 : x[i + 1];
                force[i] = k * (xl - x[i]) + k * (xr - x[i]) - damping * v[i];
            }
            // explicit Euler: both updates use the old state
            for (int i = 0; i < n; i++)
            {
                x[i] = x[i] + dt * v[i];
                v[i] = v[i] + dt * force[i];
            }
        }

        double energy = 0;
        for (int i = 0; i < n; i++) energy += 0.5 * v[i] * v[i];
        for (int i = 0; i <= n; i++)
        {
            double left = i == 0 ? 0.0 : x[i - 1];
            double right = i == n ? 0.0 : x[i];
            energy += 0.5 * k * (right - left) * (right - left);
        }
        return energy;
    }

    // expect: clean
    // domain: x in (0.5, 2); y in (0.5, 2)
    [Differentiable]
    private static double PreyGrowth(double x, double y, double alpha, double beta) => alpha * x - beta * x * y;

    // expect: clean
    // domain: x in (0.5, 2); y in (0.5, 2)
    [Differentiable]
    private static double PredatorGrowth(double x, double y, double delta, double gamma) => delta * x * y - gamma * y;

    // Classic fourth-order Runge-Kutta on the Lotka-Volterra equations, rates from two helpers.
    // expect: clean
    // domain: alpha in (0.8, 1.2); beta in (0.3, 0.5); delta in (0.2, 0.4); gamma in (0.8, 1.2); x0 in (1, 2); y0 in (0.5, 1.5); steps = 40
    [Differentiable]
    public static double LotkaVolterraRk4(double alpha, double beta, double delta, double gamma, double x0, double y0, int steps)
    {
        double h = 0.05;
        double x = x0, y = y0;
        for (int i = 0; i < steps; i++)
        {
            double k1x = PreyGrowth(x, y, alpha, beta);
            double k1y = PredatorGrowth(x, y, delta, gamma);
            double k2x = PreyGrowth(x + 0.5 * h * k1x, y + 0.5 * h * k1y, alpha, beta);
            double k2y = PredatorGrowth(x + 0.5 * h * k1x, y + 0.5 * h * k1y, delta, gamma);
            double k3x = PreyGrowth(x + 0.5 * h * k2x, y + 0.5 * h * k2y, alpha, beta);
            double k3y = PredatorGrowth(x + 0.5 * h * k2x, y + 0.5 * h * k2y, delta, gamma);
            double k4x = PreyGrowth(x + h * k3x, y + h * k3y, alpha, beta);
            double k4y = PredatorGrowth(x + h * k3x, y + h * k3y, delta, gamma);
            x += h / 6.0 * (k1x + 2 * k2x + 2 * k3x + k4x);
            y += h / 6.0 * (k1y + 2 * k2y + 2 * k3y + k4y);
        }
        return x + 2 * y;
    }

    // Classic RK4 on a chain of pendulums coupled by springs, the stages written out; the stage vectors
    // are scratch arrays refilled every step and the acceleration comes from a helper.
    // expect: clean
    // domain: theta0 len 5; theta0 in (-0.6, 0.6); coupling in (0.1, 1); steps = 15
    [Differentiable]
    public static double CoupledPendulumsRk4(double[] theta0, double coupling, int steps)
    {
        int n = theta0.Length;
        double h = 0.05;
        var q = new double[n];
        var p = new double[n];
        var qt = new double[n];
        var pt = new double[n];
        var dq1 = new double[n]; var dp1 = new double[n];
        var dq2 = new double[n]; var dp2 = new double[n];
        var dq3 = new double[n]; var dp3 = new double[n];
        var dq4 = new double[n]; var dp4 = new double[n];
        for (int i = 0; i < n; i++) q[i] = theta0[i];

        for (int s = 0; s < steps; s++)
        {
            for (int i = 0; i < n; i++)
            {
                dq1[i] = p[i];
                dp1[i] = Accel(q, i, coupling);
            }
            for (int i = 0; i < n; i++) { qt[i] = q[i] + 0.5 * h * dq1[i]; pt[i] = p[i] + 0.5 * h * dp1[i]; }
            for (int i = 0; i < n; i++)
            {
                dq2[i] = pt[i];
                dp2[i] = Accel(qt, i, coupling);
            }
            for (int i = 0; i < n; i++) { qt[i] = q[i] + 0.5 * h * dq2[i]; pt[i] = p[i] + 0.5 * h * dp2[i]; }
            for (int i = 0; i < n; i++)
            {
                dq3[i] = pt[i];
                dp3[i] = Accel(qt, i, coupling);
            }
            for (int i = 0; i < n; i++) { qt[i] = q[i] + h * dq3[i]; pt[i] = p[i] + h * dp3[i]; }
            for (int i = 0; i < n; i++)
            {
                dq4[i] = pt[i];
                dp4[i] = Accel(qt, i, coupling);
            }
            for (int i = 0; i < n; i++)
            {
                q[i] += h / 6 * (dq1[i] + 2 * dq2[i] + 2 * dq3[i] + dq4[i]);
                p[i] += h / 6 * (dp1[i] + 2 * dp2[i] + 2 * dp3[i] + dp4[i]);
            }
        }
        double e = 0;
        for (int i = 0; i < n; i++)
            e += 0.5 * p[i] * p[i] + (1 - Math.Cos(q[i]));
        return e;
    }

    // expect: clean
    // domain: q len 5; i = 2; q in (-1, 1)
    [Differentiable]
    private static double Accel(double[] q, int i, double coupling)
    {
        double spring = 0;
        if (i > 0) spring += q[i - 1] - q[i];
        if (i < q.Length - 1) spring += q[i + 1] - q[i];
        return -Math.Sin(q[i]) + coupling * spring;
    }

    // Planar n-body gravity with Plummer softening, velocity Verlet; pair forces over j > i.
    // expect: clean
    // domain: px len 4; py len 4; mass len 4; px in (-1, 1); py in (-1, 1); mass in (0.5, 1.5); dt in (0.005, 0.02); steps = 12
    [Differentiable]
    public static double NBodyVerletEnergy(double[] px, double[] py, double[] mass, double dt, int steps)
    {
        const double G = 1.0, Eps2 = 0.05;
        int n = px.Length;
        var x = new double[n]; var y = new double[n];
        var vx = new double[n]; var vy = new double[n];
        var ax = new double[n]; var ay = new double[n];
        for (int i = 0; i < n; i++) { x[i] = px[i]; y[i] = py[i]; }

        for (int step = 0; step <= steps; step++)
        {
            if (step > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    vx[i] += 0.5 * dt * ax[i];
                    vy[i] += 0.5 * dt * ay[i];
                    x[i] += dt * vx[i];
                    y[i] += dt * vy[i];
                }
            }
            for (int i = 0; i < n; i++) { ax[i] = 0; ay[i] = 0; }
            for (int i = 0; i < n; i++)
            {
                for (int j = i + 1; j < n; j++)
                {
                    double dx = x[j] - x[i], dy = y[j] - y[i];
                    double r2 = dx * dx + dy * dy + Eps2;
                    double inv3 = 1.0 / (r2 * Math.Sqrt(r2));
                    ax[i] += G * mass[j] * dx * inv3;
                    ay[i] += G * mass[j] * dy * inv3;
                    ax[j] -= G * mass[i] * dx * inv3;
                    ay[j] -= G * mass[i] * dy * inv3;
                }
            }
            if (step > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    vx[i] += 0.5 * dt * ax[i];
                    vy[i] += 0.5 * dt * ay[i];
                }
            }
        }

        double kinetic = 0, potential = 0;
        for (int i = 0; i < n; i++)
        {
            kinetic += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i]);
            for (int j = i + 1; j < n; j++)
            {
                double dx = x[j] - x[i], dy = y[j] - y[i];
                potential -= G * mass[i] * mass[j] / Math.Sqrt(dx * dx + dy * dy + Eps2);
            }
        }
        return kinetic + potential;
    }

    // A projectile with quadratic drag, stepped until it comes down; the landing point is interpolated
    // between the last two steps.
    // expect: clean
    // domain: speed in (8, 15); angle in (0.3, 1.2); drag in (0.01, 0.1)
    [Differentiable]
    public static double ProjectileRange(double speed, double angle, double drag)
    {
        const double g = 9.81, dt = 0.01;
        double x = 0, y = 0;
        double vx = speed * Math.Cos(angle), vy = speed * Math.Sin(angle);
        double prevX = 0, prevY = 0;
        int guard = 0;
        while (guard < 100000)
        {
            prevX = x; prevY = y;
            double v = Math.Sqrt(vx * vx + vy * vy);
            vx -= drag * v * vx * dt;
            vy -= (g + drag * v * vy) * dt;
            x += vx * dt;
            y += vy * dt;
            guard++;
            if (y < 0) break;
        }
        double frac = prevY / (prevY - y);
        return prevX + frac * (x - prevX);
    }

    // Heun's method with an embedded Euler error estimate and step-size control (ode23-like), on
    // y' = -k y + sin(t), integrated to tEnd.
    // expect: clean
    // domain: k in (0.5, 2); y0 in (0.5, 2); tEnd in (2, 4)
    [Differentiable]
    public static double AdaptiveHeun(double k, double y0, double tEnd)
    {
        double t = 0, y = y0, h = 0.1;
        const double Tol = 1e-5;
        int accepted = 0;
        while (t < tEnd && accepted < 10000)
        {
            if (t + h > tEnd) h = tEnd - t;
            double f0 = -k * y + Math.Sin(t);
            double yEuler = y + h * f0;
            double f1 = -k * yEuler + Math.Sin(t + h);
            double yHeun = y + 0.5 * h * (f0 + f1);
            double err = Math.Abs(yHeun - yEuler);
            if (err <= Tol || h < 1e-6)
            {
                t += h;
                y = yHeun;
                accepted++;
            }
            double factor = 0.9 * Math.Sqrt(Tol / Math.Max(err, 1e-12));
            h *= Math.Min(2.0, Math.Max(0.2, factor));
        }
        return y;
    }

    // Rope of particles under gravity, position Verlet with a few rounds of distance-constraint
    // relaxation per frame (Jakobsen's game-physics scheme); the first particle is pinned.
    // expect: clean
    // domain: x0 len 6; y0 len 6; x0 in (-0.2, 0.2); y0 in (-0.2, 0.2); rest in (0.3, 0.6); frames = 8; iterations = 4
    [Differentiable]
    public static double VerletRope(double[] x0, double[] y0, double rest, int frames, int iterations)
    {
        int n = x0.Length;
        const double dt = 1.0 / 60, g = -9.81;
        var x = new double[n]; var y = new double[n];
        var ox = new double[n]; var oy = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = i * rest + x0[i];
            y[i] = y0[i];
            ox[i] = x[i];
            oy[i] = y[i];
        }
        for (int f = 0; f < frames; f++)
        {
            for (int i = 1; i < n; i++)
            {
                double nx = 2 * x[i] - ox[i];
                double ny = 2 * y[i] - oy[i] + g * dt * dt;
                ox[i] = x[i]; oy[i] = y[i];
                x[i] = nx; y[i] = ny;
            }
            for (int it = 0; it < iterations; it++)
            {
                for (int i = 0; i < n - 1; i++)
                {
                    double dx = x[i + 1] - x[i], dy = y[i + 1] - y[i];
                    double d = Math.Sqrt(dx * dx + dy * dy);
                    double diff = (d - rest) / d;
                    if (i == 0)
                    {
                        x[i + 1] -= dx * diff;
                        y[i + 1] -= dy * diff;
                    }
                    else
                    {
                        x[i] += 0.5 * dx * diff;
                        y[i] += 0.5 * dy * diff;
                        x[i + 1] -= 0.5 * dx * diff;
                        y[i + 1] -= 0.5 * dy * diff;
                    }
                }
            }
        }
        return y[n - 1] + 0.1 * x[n - 1];
    }
}

/// <summary>Partial differential equations on grids: diffusion, Poisson, advection, option pricing.</summary>
public static partial class GridSolvers
{
    // 1-D heat equation, explicit, two buffers swapped by reference each step (the usual idiom).
    // expect: ADIFF014|ADIFF009
    // domain: u0 len 12; kappa in (0.1, 0.4); steps = 10
    [Differentiable]
    public static double HeatSwapBuffers(double[] u0, double kappa, int steps)
    {
        int n = u0.Length;
        var u = new double[n];
        var un = new double[n];
        for (int i = 0; i < n; i++) u[i] = u0[i];
        for (int t = 0; t < steps; t++)
        {
            un[0] = u[0];
            un[n - 1] = u[n - 1];
            for (int i = 1; i < n - 1; i++)
                un[i] = u[i] + kappa * (u[i - 1] - 2 * u[i] + u[i + 1]);
            (u, un) = (un, u);
        }
        double total = 0;
        for (int i = 0; i < n; i++) total += u[i] * u[i];
        return total;
    }

    // Crank-Nicolson for the heat equation with Dirichlet zeros: every step builds the right-hand side
    // and solves the tridiagonal system with the Thomas algorithm (scratch arrays refilled per step).
    // expect: clean
    // domain: u0 len 10; kappa in (0.2, 2); steps = 6
    [Differentiable]
    public static double CrankNicolsonHeat(double[] u0, double kappa, int steps)
    {
        int n = u0.Length;
        double dx = 1.0 / (n + 1), dt = 0.01;
        double r = kappa * dt / (2 * dx * dx);
        var u = new double[n];
        var rhs = new double[n];
        var cPrime = new double[n];
        var dPrime = new double[n];
        for (int i = 0; i < n; i++) u[i] = u0[i];

        for (int step = 0; step < steps; step++)
        {
            for (int i = 0; i < n; i++)
            {
                double left = i > 0 ? u[i - 1] : 0.0;
                double right = i < n - 1 ? u[i + 1] : 0.0;
                rhs[i] = r * left + (1 - 2 * r) * u[i] + r * right;
            }
            // tridiagonal system: -r on the off-diagonals, 1 + 2r on the diagonal
            double a = -r, b = 1 + 2 * r, c = -r;
            cPrime[0] = c / b;
            dPrime[0] = rhs[0] / b;
            for (int i = 1; i < n; i++)
            {
                double m = b - a * cPrime[i - 1];
                cPrime[i] = c / m;
                dPrime[i] = (rhs[i] - a * dPrime[i - 1]) / m;
            }
            u[n - 1] = dPrime[n - 1];
            for (int i = n - 2; i >= 0; i--)
                u[i] = dPrime[i] - cPrime[i] * u[i + 1];
        }
        double s = 0;
        for (int i = 0; i < n; i++) s += u[i] * (i + 1);
        return s * dx;
    }

    // Gauss-Seidel for -u'' + c u = f on a uniform grid, a fixed number of sweeps, updating in place.
    // expect: clean
    // domain: f len 10; c in (0.5, 3); sweeps = 15
    [Differentiable]
    public static double GaussSeidelPoisson(double[] f, double c, int sweeps)
    {
        int n = f.Length;
        double h = 1.0 / (n + 1);
        double diag = 2.0 / (h * h) + c;
        double off = 1.0 / (h * h);
        var u = new double[n];
        for (int sweep = 0; sweep < sweeps; sweep++)
        {
            for (int i = 0; i < n; i++)
            {
                double sigma = 0;
                if (i > 0) sigma += off * u[i - 1];
                if (i + 1 < n) sigma += off * u[i + 1];
                u[i] = (f[i] + sigma) / diag;
            }
        }
        double energy = 0;
        for (int i = 0; i < n; i++) energy += h * f[i] * u[i];
        return energy;
    }

    // Successive over-relaxation on a small 2-D Poisson problem stored row-major, stopping when the
    // largest update is small.
    // expect: clean
    // domain: source len 25; omega in (1.1, 1.6)
    [Differentiable]
    public static double SorPoisson2D(double[] source, double omega)
    {
        const int N = 5;
        double h2 = 1.0 / ((N + 1) * (N + 1));
        var u = new double[N * N];
        for (int iter = 0; iter < 500; iter++)
        {
            double maxDelta = 0;
            for (int i = 0; i < N; i++)
            {
                for (int j = 0; j < N; j++)
                {
                    double up = i > 0 ? u[(i - 1) * N + j] : 0;
                    double down = i < N - 1 ? u[(i + 1) * N + j] : 0;
                    double left = j > 0 ? u[i * N + j - 1] : 0;
                    double right = j < N - 1 ? u[i * N + j + 1] : 0;
                    double gs = 0.25 * (up + down + left + right + h2 * source[i * N + j]);
                    double delta = omega * (gs - u[i * N + j]);
                    u[i * N + j] += delta;
                    if (Math.Abs(delta) > maxDelta) maxDelta = Math.Abs(delta);
                }
            }
            if (maxDelta < 1e-13) break;
        }
        double mean = 0;
        for (int k = 0; k < N * N; k++) mean += u[k];
        return mean / (N * N) * 100;
    }

    // First-order upwind advection with periodic boundaries, velocity of either sign.
    // expect: clean
    // domain: q0 len 16; velocity in (0.2, 0.8); steps = 10
    [Differentiable]
    public static double UpwindAdvection(double[] q0, double velocity, int steps)
    {
        int n = q0.Length;
        double dx = 1.0 / n, dt = 0.5 * dx;
        double nu = velocity * dt / dx;
        var q = new double[n];
        var qNew = new double[n];
        for (int i = 0; i < n; i++) q[i] = q0[i];
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                int im = (i - 1 + n) % n, ip = (i + 1) % n;
                qNew[i] = nu > 0 ? q[i] - nu * (q[i] - q[im]) : q[i] - nu * (q[ip] - q[i]);
            }
            for (int i = 0; i < n; i++) q[i] = qNew[i];
        }
        double centroid = 0, mass = 0;
        for (int i = 0; i < n; i++)
        {
            double w = q[i] * q[i];
            centroid += w * Math.Sin(2 * Math.PI * i / n);
            mass += w;
        }
        return centroid / (mass + 1);
    }

    // Black-Scholes PDE by explicit finite differences in the asset price, marching backwards in time
    // from the call payoff (smoothed so that the price grid sees no kink).
    // expect: clean
    // domain: strike in (0.9, 1.1); sigma in (0.15, 0.35); rate in (0.01, 0.05)
    [Differentiable]
    public static double ExplicitFdCall(double strike, double sigma, double rate)
    {
        const int M = 30, Steps = 60;
        const double SMax = 3.0, T = 0.5;
        double dS = SMax / M, dt = T / Steps;
        var v = new double[M + 1];
        var next = new double[M + 1];
        for (int i = 0; i <= M; i++)
        {
            double s = i * dS;
            double z = (s - strike) / 0.05;
            v[i] = 0.05 * Math.Log(1 + Math.Exp(z));   // softplus payoff
        }
        for (int step = 0; step < Steps; step++)
        {
            double tau = (step + 1) * dt;
            for (int i = 1; i < M; i++)
            {
                double s = i * dS;
                double delta = (v[i + 1] - v[i - 1]) / (2 * dS);
                double gamma = (v[i + 1] - 2 * v[i] + v[i - 1]) / (dS * dS);
                next[i] = v[i] + dt * (0.5 * sigma * sigma * s * s * gamma + rate * s * delta - rate * v[i]);
            }
            next[0] = 0;
            next[M] = SMax - strike * Math.Exp(-rate * tau);
            for (int i = 0; i <= M; i++) v[i] = next[i];
        }
        // price at S = 1 by linear interpolation
        double pos = 1.0 / dS;
        int lo = (int)pos;
        double w = pos - lo;
        return (1 - w) * v[lo] + w * v[lo + 1];
    }
}

/// <summary>Dense and banded linear algebra written with flat arrays and triangular loops.</summary>
public static partial class LinearAlgebra
{
    // Forward substitution L y = b with L lower-triangular, row-major in an n x n array.
    // expect: clean
    // domain: lower len 25; b len 5; lower in (0.2, 0.6)
    [Differentiable]
    public static double ForwardSubstitution(double[] lower, double[] b)
    {
        int n = b.Length;
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = b[i];
            for (int j = 0; j < i; j++)
                sum -= lower[i * n + j] * y[j];
            y[i] = sum / (lower[i * n + i] + 1.0);
        }
        double norm = 0;
        for (int i = 0; i < n; i++) norm += y[i] * y[i];
        return norm;
    }

    // Cholesky factorisation of A = B Bᵀ + n I (SPD), then the log-determinant and the quadratic
    // form bᵀ A⁻¹ b by two triangular solves.
    // expect: clean
    // domain: bmat len 16; rhs len 4; bmat in (-1, 1); n = 4
    [Differentiable]
    public static double CholeskyLogDetQuadratic(double[] bmat, double[] rhs, int n)
    {
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = i == j ? n : 0.0;
                for (int k = 0; k < n; k++) s += bmat[i * n + k] * bmat[j * n + k];
                a[i * n + j] = s;
            }

        var l = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
            l[j * n + j] = Math.Sqrt(d);
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
                l[i * n + j] = s / l[j * n + j];
            }
        }

        double logDet = 0;
        for (int i = 0; i < n; i++) logDet += 2 * Math.Log(l[i * n + i]);

        var z = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = rhs[i];
            for (int k = 0; k < i; k++) s -= l[i * n + k] * z[k];
            z[i] = s / l[i * n + i];
        }
        double quad = 0;
        for (int i = 0; i < n; i++) quad += z[i] * z[i];
        return logDet + quad;
    }

    // Gaussian elimination with partial pivoting (rows swapped element by element), then back substitution.
    // expect: clean
    // domain: matrix len 16; rhs len 4; matrix in (-1, 1); n = 4
    [Differentiable]
    public static double GaussianEliminationSolve(double[] matrix, double[] rhs, int n)
    {
        var a = new double[n * n];
        var b = new double[n];
        for (int i = 0; i < n * n; i++) a[i] = matrix[i];
        for (int i = 0; i < n; i++) { b[i] = rhs[i]; a[i * n + i] += 3.0; }

        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            double best = Math.Abs(a[col * n + col]);
            for (int r = col + 1; r < n; r++)
            {
                if (Math.Abs(a[r * n + col]) > best)
                {
                    best = Math.Abs(a[r * n + col]);
                    pivot = r;
                }
            }
            if (pivot != col)
            {
                for (int k = 0; k < n; k++)
                {
                    double tmp = a[col * n + k];
                    a[col * n + k] = a[pivot * n + k];
                    a[pivot * n + k] = tmp;
                }
                double tb = b[col]; b[col] = b[pivot]; b[pivot] = tb;
            }
            for (int r = col + 1; r < n; r++)
            {
                double factor = a[r * n + col] / a[col * n + col];
                for (int k = col; k < n; k++)
                    a[r * n + k] -= factor * a[col * n + k];
                b[r] -= factor * b[col];
            }
        }
        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int k = i + 1; k < n; k++) s -= a[i * n + k] * x[k];
            x[i] = s / a[i * n + i];
        }
        double result = 0;
        for (int i = 0; i < n; i++) result += x[i] * (i + 1);
        return result;
    }

    // Power iteration on a symmetric positive matrix until the eigenvalue estimate settles.
    // expect: clean
    // domain: entries len 16; entries in (0.1, 1)
    [Differentiable]
    public static double DominantEigenvalue(double[] entries)
    {
        int n = (int)Math.Round(Math.Sqrt(entries.Length));
        var sym = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                sym[i * n + j] = 0.5 * (entries[i * n + j] + entries[j * n + i]);

        var v = new double[n];
        var w = new double[n];
        for (int i = 0; i < n; i++) v[i] = 1.0;
        double lambda = 0, previous = double.MaxValue;
        int iter = 0;
        while (iter < 1000 && Math.Abs(lambda - previous) > 1e-14 * Math.Abs(lambda))
        {
            previous = lambda;
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = 0; j < n; j++) s += sym[i * n + j] * v[j];
                w[i] = s;
            }
            double num = 0, den = 0;
            for (int i = 0; i < n; i++) { num += v[i] * w[i]; den += v[i] * v[i]; }
            lambda = num / den;
            double norm = 0;
            for (int i = 0; i < n; i++) norm += w[i] * w[i];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < n; i++) v[i] = w[i] / norm;
            iter++;
        }
        return lambda;
    }

    // Polynomial least squares through the normal equations: moments of x, then Gauss-Jordan on the
    // small (deg+1) x (deg+1) system; returns the residual sum of squares.
    // expect: clean
    // domain: xs len 12; ys len 12; xs in (-1, 1); degree = 2
    [Differentiable]
    public static double PolyfitResidual(double[] xs, double[] ys, int degree)
    {
        int m = degree + 1;
        var ata = new double[m * m];
        var aty = new double[m];
        for (int p = 0; p < xs.Length; p++)
        {
            double xi = 1;
            for (int i = 0; i < m; i++)
            {
                double xj = 1;
                for (int j = 0; j < m; j++)
                {
                    ata[i * m + j] += xi * xj;
                    xj *= xs[p];
                }
                aty[i] += xi * ys[p];
                xi *= xs[p];
            }
        }
        // Gauss-Jordan without pivoting: the normal matrix is SPD
        for (int k = 0; k < m; k++)
        {
            double piv = ata[k * m + k];
            for (int j = 0; j < m; j++) ata[k * m + j] /= piv;
            aty[k] /= piv;
            for (int i = 0; i < m; i++)
            {
                if (i == k) continue;
                double f = ata[i * m + k];
                for (int j = 0; j < m; j++) ata[i * m + j] -= f * ata[k * m + j];
                aty[i] -= f * aty[k];
            }
        }
        double rss = 0;
        for (int p = 0; p < xs.Length; p++)
        {
            double fit = 0;
            for (int i = m - 1; i >= 0; i--) fit = fit * xs[p] + aty[i];
            double r = ys[p] - fit;
            rss += r * r;
        }
        return rss;
    }

    // Levinson-Durbin recursion on the autocorrelation of a signal: the final prediction error power.
    // expect: clean
    // domain: signal len 24; order = 4
    [Differentiable]
    public static double LevinsonDurbinError(double[] signal, int order)
    {
        int n = signal.Length;
        var r = new double[order + 1];
        for (int lag = 0; lag <= order; lag++)
        {
            double s = 0;
            for (int t = lag; t < n; t++) s += signal[t] * signal[t - lag];
            r[lag] = s / n;
        }
        var a = new double[order + 1];
        var prev = new double[order + 1];
        a[0] = 1;
        double err = r[0];
        for (int m = 1; m <= order; m++)
        {
            double acc = r[m];
            for (int j = 1; j < m; j++) acc += a[j] * r[m - j];
            double k = -acc / err;
            for (int j = 0; j < m; j++) prev[j] = a[j];
            for (int j = 1; j < m; j++) a[j] = prev[j] + k * prev[m - j];
            a[m] = k;
            err *= 1 - k * k;
        }
        return err;
    }
}

/// <summary>Recurrences of numerical analysis: polynomial series, splines, quadrature tables, Newton.</summary>
public static partial class Recurrences
{
    // Clenshaw's recurrence for a Chebyshev series Σ' c_k T_k(x) (Numerical Recipes' chebev on [a, b]).
    // expect: clean
    // domain: c len 8; x in (-0.9, 0.9)
    [Differentiable]
    public static double ChebyshevClenshaw(double[] c, double x)
    {
        const double a = -1.0, b = 1.0;
        double y = (2.0 * x - a - b) / (b - a);
        double y2 = 2.0 * y;
        double d = 0.0, dd = 0.0;
        for (int j = c.Length - 1; j >= 1; j--)
        {
            double sv = d;
            d = y2 * d - dd + c[j];
            dd = sv;
        }
        return y * d - dd + 0.5 * c[0];
    }

    // A Legendre series evaluated at many points with Bonnet's three-term recurrence, mean square.
    // expect: clean
    // domain: coef len 6; points len 9; points in (-1, 1)
    [Differentiable]
    public static double LegendreSeriesMeanSquare(double[] coef, double[] points)
    {
        double total = 0;
        foreach (double x in points)
        {
            double p0 = 1.0, p1 = x;
            double f = coef[0] * p0;
            if (coef.Length > 1) f += coef[1] * p1;
            for (int k = 1; k + 1 < coef.Length; k++)
            {
                double p2 = ((2 * k + 1) * x * p1 - k * p0) / (k + 1);
                f += coef[k + 1] * p2;
                p0 = p1;
                p1 = p2;
            }
            total += f * f;
        }
        return total / points.Length;
    }

    // Natural cubic spline through (i, y_i) (NR spline: a tridiagonal sweep for the second derivatives),
    // then splint with bisection for the interval, evaluated at a few points.
    // expect: clean
    // domain: y len 8; at len 5; at in (0.1, 6.9)
    [Differentiable]
    public static double NaturalSplineSum(double[] y, double[] at)
    {
        int n = y.Length;
        var y2 = new double[n];
        var u = new double[n];
        y2[0] = 0.0;
        u[0] = 0.0;
        for (int i = 1; i < n - 1; i++)
        {
            double sig = 0.5;
            double p = sig * y2[i - 1] + 2.0;
            y2[i] = (sig - 1.0) / p;
            u[i] = (y[i + 1] - y[i]) - (y[i] - y[i - 1]);
            u[i] = (6.0 * u[i] / 2.0 - sig * u[i - 1]) / p;
        }
        y2[n - 1] = 0.0;
        for (int k = n - 2; k >= 0; k--)
            y2[k] = y2[k] * y2[k + 1] + u[k];

        double sum = 0;
        for (int q = 0; q < at.Length; q++)
        {
            double x = at[q];
            int klo = 0, khi = n - 1;
            while (khi - klo > 1)
            {
                int k = (khi + klo) >> 1;
                if (k > x) khi = k; else klo = k;
            }
            double a = khi - x, b = x - klo;
            double value = a * y[klo] + b * y[khi] + ((a * a * a - a) * y2[klo] + (b * b * b - b) * y2[khi]) / 6.0;
            sum += value;
        }
        return sum;
    }

    // Romberg integration of exp(-a t²) on [0, 1]: the Richardson table kept as a flat triangle.
    // expect: clean
    // domain: a in (0.2, 3)
    [Differentiable]
    public static double RombergGaussian(double a)
    {
        const int Levels = 6;
        var table = new double[Levels * Levels];
        double h = 1.0;
        table[0] = 0.5 * h * (1.0 + Math.Exp(-a));
        for (int i = 1; i < Levels; i++)
        {
            h *= 0.5;
            double sum = 0;
            int count = 1 << (i - 1);
            for (int k = 1; k <= count; k++)
            {
                double t = (2 * k - 1) * h;
                sum += Math.Exp(-a * t * t);
            }
            table[i * Levels] = 0.5 * table[(i - 1) * Levels] + h * sum;
            double factor = 1;
            for (int j = 1; j <= i; j++)
            {
                factor *= 4;
                table[i * Levels + j] = table[i * Levels + j - 1]
                    + (table[i * Levels + j - 1] - table[(i - 1) * Levels + j - 1]) / (factor - 1);
            }
        }
        return table[(Levels - 1) * Levels + Levels - 1];
    }

    // Cumulative trapezoid integral (scipy.integrate.cumulative_trapezoid) of y with spacing dx,
    // then the integral's mean square.
    // expect: clean
    // domain: y len 15; dx in (0.05, 0.5)
    [Differentiable]
    public static double CumulativeTrapezoidMeanSquare(double[] y, double dx)
    {
        var cum = new double[y.Length];
        cum[0] = 0;
        for (int i = 1; i < y.Length; i++)
            cum[i] = cum[i - 1] + 0.5 * dx * (y[i] + y[i - 1]);
        double ms = 0;
        for (int i = 0; i < cum.Length; i++) ms += cum[i] * cum[i];
        return ms / cum.Length;
    }

    // Bond yield to maturity by Newton's method with a fixed number of iterations.
    // expect: clean
    // domain: price in (85, 115); coupon in (2, 8); years = 10
    [Differentiable]
    public static double YieldToMaturity(double price, double coupon, int years)
    {
        double y = 0.05;
        for (int it = 0; it < 30; it++)
        {
            double pv = 0, dpv = 0;
            double discount = 1.0;
            for (int t = 1; t <= years; t++)
            {
                discount /= 1 + y;
                double cf = t == years ? coupon + 100 : coupon;
                pv += cf * discount;
                dpv -= t * cf * discount / (1 + y);
            }
            y -= (pv - price) / dpv;
        }
        return y;
    }

    // Horner's scheme for p(x) and p'(x) together, used by a Newton polish of a root of a quartic.
    // expect: clean
    // domain: coeffs len 4; coeffs in (0.5, 1.5); guess in (1.5, 2.5)
    [Differentiable]
    public static double NewtonHornerRoot(double[] coeffs, double guess)
    {
        // p(x) = x^4 - coeffs[3] x^3 - ... - coeffs[0]: one positive root beyond 1 for positive coefficients
        int n = coeffs.Length;
        double x = guess;
        for (int iter = 0; iter < 40; iter++)
        {
            double p = 1.0, dp = 0.0;
            for (int k = n - 1; k >= 0; k--)
            {
                dp = dp * x + p;
                p = p * x - coeffs[k];
            }
            double step = p / dp;
            x -= step;
            if (Math.Abs(step) < 1e-15 * Math.Abs(x)) break;
        }
        return x;
    }
}

/// <summary>Filters, transforms and sequence alignment over sampled signals.</summary>
public static partial class Signals
{
    // numpy.convolve(x, k, mode="same") written with explicit bounds checks, then a weighted energy.
    // expect: clean
    // domain: x len 16; kernel len 5
    [Differentiable]
    public static double ConvolveSame(double[] x, double[] kernel)
    {
        int n = x.Length, m = kernel.Length;
        int half = m / 2;
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double acc = 0;
            for (int j = 0; j < m; j++)
            {
                int idx = i + half - j;
                if (idx < 0 || idx >= n) continue;
                acc += x[idx] * kernel[j];
            }
            y[i] = acc;
        }
        double e = 0;
        for (int i = 0; i < n; i++) e += y[i] * y[i] * (1 + 0.1 * i);
        return e;
    }

    // Centered moving average that shrinks the window at the edges (pandas rolling(center=True, min_periods=1)).
    // expect: clean
    // domain: x len 14; window = 5
    [Differentiable]
    public static double CenteredMovingAverage(double[] x, int window)
    {
        int n = x.Length, half = window / 2;
        double result = 0;
        for (int i = 0; i < n; i++)
        {
            int lo = Math.Max(0, i - half), hi = Math.Min(n - 1, i + half);
            double s = 0;
            for (int j = lo; j <= hi; j++) s += x[j];
            double avg = s / (hi - lo + 1);
            double resid = x[i] - avg;
            result += resid * resid;
        }
        return result;
    }

    // Dynamic time warping distance with the full (n+1) x (m+1) cost table stored flat.
    // expect: clean
    // domain: a len 7; b len 6
    [Differentiable]
    public static double DynamicTimeWarping(double[] a, double[] b)
    {
        int n = a.Length, m = b.Length;
        int w = m + 1;
        var dtw = new double[(n + 1) * w];
        for (int i = 0; i <= n; i++)
            for (int j = 0; j <= m; j++)
                dtw[i * w + j] = double.PositiveInfinity;
        dtw[0] = 0;
        for (int i = 1; i <= n; i++)
        {
            for (int j = 1; j <= m; j++)
            {
                double d = a[i - 1] - b[j - 1];
                double cost = d * d;
                double best = Math.Min(dtw[(i - 1) * w + j], Math.Min(dtw[i * w + j - 1], dtw[(i - 1) * w + j - 1]));
                dtw[i * w + j] = cost + best;
            }
        }
        return dtw[n * w + m];
    }

    // Direct-form I biquad (a resonant low-pass from the RBJ cookbook), output energy after the transient.
    // expect: clean
    // domain: x len 30; cutoff in (0.05, 0.3); q in (0.5, 2)
    [Differentiable]
    public static double BiquadLowpassEnergy(double[] x, double cutoff, double q)
    {
        double w0 = 2 * Math.PI * cutoff;
        double alpha = Math.Sin(w0) / (2 * q);
        double cosw = Math.Cos(w0);
        double a0 = 1 + alpha;
        double b0 = (1 - cosw) / 2 / a0, b1 = (1 - cosw) / a0, b2 = (1 - cosw) / 2 / a0;
        double a1 = -2 * cosw / a0, a2 = (1 - alpha) / a0;
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
        double energy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double y = b0 * x[i] + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
            x2 = x1; x1 = x[i];
            y2 = y1; y1 = y;
            if (i >= 10) energy += y * y;
        }
        return energy;
    }

    // Naive DFT power spectrum, then the spectral centroid over the positive frequencies.
    // expect: clean
    // domain: x len 16; x in (0, 2)
    [Differentiable]
    public static double SpectralCentroid(double[] x)
    {
        int n = x.Length;
        var power = new double[n / 2 + 1];
        for (int k = 0; k <= n / 2; k++)
        {
            double re = 0, im = 0;
            for (int t = 0; t < n; t++)
            {
                double angle = -2 * Math.PI * k * t / n;
                re += x[t] * Math.Cos(angle);
                im += x[t] * Math.Sin(angle);
            }
            power[k] = re * re + im * im;
        }
        double num = 0, den = 1e-9;
        for (int k = 1; k < power.Length; k++)
        {
            num += k * power[k];
            den += power[k];
        }
        return num / den;
    }

    // Goertzel's recurrence for the power at one frequency bin.
    // expect: clean
    // domain: samples len 20; bin = 3
    [Differentiable]
    public static double GoertzelPower(double[] samples, int bin)
    {
        int n = samples.Length;
        double coeff = 2 * Math.Cos(2 * Math.PI * bin / n);
        double s1 = 0, s2 = 0;
        for (int i = 0; i < n; i++)
        {
            double s0 = samples[i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - coeff * s1 * s2;
    }
}

/// <summary>Time-series models: smoothing, Kalman filtering, GARCH, autoregression, hidden Markov models.</summary>
public static partial class TimeSeries
{
    // Local-level Kalman filter; Gaussian log-likelihood of the one-step innovations.
    // expect: clean
    // domain: observations len 20; processVar in (0.05, 1); noiseVar in (0.1, 2)
    [Differentiable]
    public static double KalmanLogLikelihood(double[] observations, double processVar, double noiseVar)
    {
        double mean = observations[0], variance = 1.0;
        double logLik = 0;
        for (int t = 1; t < observations.Length; t++)
        {
            // predict
            double priorMean = mean;
            double priorVar = variance + processVar;
            // update
            double innovation = observations[t] - priorMean;
            double s = priorVar + noiseVar;
            double gain = priorVar / s;
            mean = priorMean + gain * innovation;
            variance = (1 - gain) * priorVar;
            logLik += -0.5 * (Math.Log(2 * Math.PI * s) + innovation * innovation / s);
        }
        return logLik;
    }

    // Holt's linear trend (double exponential smoothing): one-step-ahead squared error.
    // expect: clean
    // domain: series len 18; alpha in (0.1, 0.9); beta in (0.05, 0.5)
    [Differentiable]
    public static double HoltLinearSse(double[] series, double alpha, double beta)
    {
        double level = series[0];
        double trend = series[1] - series[0];
        double sse = 0;
        for (int t = 1; t < series.Length; t++)
        {
            double forecast = level + trend;
            double error = series[t] - forecast;
            sse += error * error;
            double newLevel = alpha * series[t] + (1 - alpha) * (level + trend);
            trend = beta * (newLevel - level) + (1 - beta) * trend;
            level = newLevel;
        }
        return sse;
    }

    // Additive Holt-Winters with the seasonal indices kept in an array indexed by t mod period.
    // expect: clean
    // domain: series len 24; alpha in (0.1, 0.8); beta in (0.05, 0.3); gamma in (0.05, 0.5); period = 4
    [Differentiable]
    public static double HoltWintersSse(double[] series, double alpha, double beta, double gamma, int period)
    {
        var season = new double[period];
        double level = 0;
        for (int i = 0; i < period; i++) level += series[i];
        level /= period;
        double trend = 0;
        for (int i = 0; i < period; i++) trend += (series[period + i] - series[i]) / period;
        trend /= period;
        for (int i = 0; i < period; i++) season[i] = series[i] - level;

        double sse = 0;
        for (int t = period; t < series.Length; t++)
        {
            int s = t % period;
            double forecast = level + trend + season[s];
            double err = series[t] - forecast;
            sse += err * err;
            double lastLevel = level;
            level = alpha * (series[t] - season[s]) + (1 - alpha) * (level + trend);
            trend = beta * (level - lastLevel) + (1 - beta) * trend;
            season[s] = gamma * (series[t] - level) + (1 - gamma) * season[s];
        }
        return sse / (series.Length - period);
    }

    // GARCH(1,1) negative log-likelihood of a return series, variance started at the sample variance.
    // expect: clean
    // domain: returns len 25; omega in (0.01, 0.2); alpha in (0.02, 0.2); beta in (0.5, 0.85)
    [Differentiable]
    public static double Garch11NegLogLik(double[] returns, double omega, double alpha, double beta)
    {
        int n = returns.Length;
        double mean = 0;
        for (int i = 0; i < n; i++) mean += returns[i];
        mean /= n;
        double sampleVar = 0;
        for (int i = 0; i < n; i++) sampleVar += (returns[i] - mean) * (returns[i] - mean);
        sampleVar /= n;

        double sigma2 = sampleVar;
        double nll = 0;
        for (int t = 0; t < n; t++)
        {
            if (t > 0)
                sigma2 = omega + alpha * returns[t - 1] * returns[t - 1] + beta * sigma2;
            nll += 0.5 * (Math.Log(2 * Math.PI) + Math.Log(sigma2) + returns[t] * returns[t] / sigma2);
        }
        return nll;
    }

    // Conditional Gaussian log-likelihood of an AR(p) model (statsmodels' conditional MLE).
    // expect: clean
    // domain: phi len 3; phi in (-0.3, 0.3); x len 20; sigma in (0.5, 2)
    [Differentiable]
    public static double AutoregressiveLogLik(double[] phi, double[] x, double sigma)
    {
        int p = phi.Length;
        double ll = 0;
        for (int t = p; t < x.Length; t++)
        {
            double pred = 0;
            for (int k = 0; k < p; k++) pred += phi[k] * x[t - k - 1];
            double e = x[t] - pred;
            ll -= 0.5 * e * e / (sigma * sigma) + Math.Log(sigma) + 0.5 * Math.Log(2 * Math.PI);
        }
        return ll;
    }

    // Scaled forward algorithm of a 3-state HMM with Gaussian emissions; transition rows by softmax of logits.
    // expect: clean
    // domain: transLogits len 9; means len 3; obs len 12; obs in (-2, 2)
    [Differentiable]
    public static double HmmForwardLogLikelihood(double[] transLogits, double[] means, double[] obs)
    {
        const int S = 3;
        var trans = new double[S * S];
        for (int i = 0; i < S; i++)
        {
            double z = 0;
            for (int j = 0; j < S; j++) z += Math.Exp(transLogits[i * S + j]);
            for (int j = 0; j < S; j++) trans[i * S + j] = Math.Exp(transLogits[i * S + j]) / z;
        }

        var alpha = new double[S];
        var next = new double[S];
        double logLik = 0;
        for (int t = 0; t < obs.Length; t++)
        {
            for (int j = 0; j < S; j++)
            {
                double emit = Math.Exp(-0.5 * (obs[t] - means[j]) * (obs[t] - means[j])) / Math.Sqrt(2 * Math.PI);
                double prior;
                if (t == 0)
                    prior = 1.0 / S;
                else
                {
                    prior = 0;
                    for (int i = 0; i < S; i++) prior += alpha[i] * trans[i * S + j];
                }
                next[j] = prior * emit;
            }
            double scale = 0;
            for (int j = 0; j < S; j++) scale += next[j];
            for (int j = 0; j < S; j++) alpha[j] = next[j] / scale;
            logLik += Math.Log(scale);
        }
        return logLik;
    }
}

/// <summary>Pricing by lattices and simulation.</summary>
public static partial class Pricing
{
    // Cox-Ross-Rubinstein binomial tree for a European call, backward induction in one array.
    // expect: clean
    // domain: spot in (80, 120); strike in (90, 110); rate in (0.01, 0.06); vol in (0.15, 0.4); expiry in (0.25, 2); steps = 24
    [Differentiable]
    public static double BinomialEuropeanCall(double spot, double strike, double rate, double vol, double expiry, int steps)
    {
        double dt = expiry / steps;
        double u = Math.Exp(vol * Math.Sqrt(dt));
        double d = 1 / u;
        double p = (Math.Exp(rate * dt) - d) / (u - d);
        double disc = Math.Exp(-rate * dt);
        var values = new double[steps + 1];
        for (int i = 0; i <= steps; i++)
        {
            double st = spot * Math.Pow(u, steps - i) * Math.Pow(d, i);
            values[i] = Math.Max(st - strike, 0.0);
        }
        for (int step = steps - 1; step >= 0; step--)
            for (int i = 0; i <= step; i++)
                values[i] = disc * (p * values[i] + (1 - p) * values[i + 1]);
        return values[0];
    }

    // American put on the same tree: early exercise compared at every node.
    // expect: clean
    // domain: spot in (80, 120); strike in (90, 110); rate in (0.01, 0.06); vol in (0.15, 0.4); expiry in (0.25, 2); steps = 20
    [Differentiable]
    public static double BinomialAmericanPut(double spot, double strike, double rate, double vol, double expiry, int steps)
    {
        double dt = expiry / steps;
        double u = Math.Exp(vol * Math.Sqrt(dt)), d = 1 / u;
        double p = (Math.Exp(rate * dt) - d) / (u - d);
        double disc = Math.Exp(-rate * dt);
        var v = new double[steps + 1];
        for (int i = 0; i <= steps; i++)
            v[i] = Math.Max(strike - spot * Math.Pow(u, 2 * i - steps), 0);
        for (int step = steps - 1; step >= 0; step--)
        {
            for (int i = 0; i <= step; i++)
            {
                double cont = disc * (p * v[i + 1] + (1 - p) * v[i]);
                double exercise = strike - spot * Math.Pow(u, 2 * i - step);
                v[i] = exercise > cont ? exercise : cont;
            }
        }
        return v[0];
    }

    // Monte Carlo price of an arithmetic Asian call: a seeded linear congruential generator (int state),
    // Box-Muller normals, paths of a few monitoring dates. Pathwise gradient.
    // expect: clean
    // domain: spot in (90, 110); vol in (0.15, 0.35); rate in (0.01, 0.05); paths = 200; seed = 12345
    [Differentiable]
    public static double MonteCarloAsianCall(double spot, double vol, double rate, int paths, int seed)
    {
        const double Strike = 100, T = 1.0;
        const int Dates = 4;
        double dt = T / Dates;
        double drift = (rate - 0.5 * vol * vol) * dt;
        double diffusion = vol * Math.Sqrt(dt);
        int state = seed;
        double payoffSum = 0;
        for (int p = 0; p < paths; p++)
        {
            double s = spot, average = 0;
            for (int k = 0; k < Dates; k++)
            {
                state = (int)((1103515245L * state + 12345L) & 0x7fffffff);
                double u1 = (state + 1.0) / 2147483649.0;
                state = (int)((1103515245L * state + 12345L) & 0x7fffffff);
                double u2 = state / 2147483648.0;
                double z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                s *= Math.Exp(drift + diffusion * z);
                average += s / Dates;
            }
            if (average > Strike) payoffSum += average - Strike;
        }
        return Math.Exp(-rate * T) * payoffSum / paths;
    }
}

/// <summary>Machine learning from scratch: batches stored flat, small networks, mixtures, inner optimisers.</summary>
public static partial class Learning
{
    // Mean softmax cross-entropy over a batch of logits stored row-major (batch x classes).
    // expect: clean
    // domain: logits len 12; labels = 2,0,3; classes = 4
    [Differentiable]
    public static double BatchSoftmaxCrossEntropy(double[] logits, int[] labels, int classes)
    {
        int batch = labels.Length;
        double loss = 0;
        for (int b = 0; b < batch; b++)
        {
            int offset = b * classes;
            double max = logits[offset];
            for (int c = 1; c < classes; c++)
                if (logits[offset + c] > max) max = logits[offset + c];
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += Math.Exp(logits[offset + c] - max);
            loss += Math.Log(sum) + max - logits[offset + labels[b]];
        }
        return loss / batch;
    }

    // Two-layer perceptron (tanh hidden layer) over a small batch, mean squared error.
    // expect: clean
    // domain: w1 len 12; b1 len 4; w2 len 4; inputs len 15; targets len 5; w1 in (-1, 1); w2 in (-1, 1); features = 3; hidden = 4
    [Differentiable]
    public static double MlpMeanSquaredError(double[] w1, double[] b1, double[] w2, double b2, double[] inputs, double[] targets, int features, int hidden)
    {
        int batch = targets.Length;
        var h = new double[hidden];
        double loss = 0;
        for (int s = 0; s < batch; s++)
        {
            for (int j = 0; j < hidden; j++)
            {
                double z = b1[j];
                for (int i = 0; i < features; i++)
                    z += w1[j * features + i] * inputs[s * features + i];
                h[j] = Math.Tanh(z);
            }
            double output = b2;
            for (int j = 0; j < hidden; j++) output += w2[j] * h[j];
            double err = output - targets[s];
            loss += err * err;
        }
        return loss / batch;
    }

    // expect: clean
    // domain: values len 4
    [Differentiable]
    private static double LogSumExp(double[] values)
    {
        double m = values[0];
        for (int i = 1; i < values.Length; i++) m = Math.Max(m, values[i]);
        double s = 0;
        for (int i = 0; i < values.Length; i++) s += Math.Exp(values[i] - m);
        return m + Math.Log(s);
    }

    // Log-likelihood of a 1-D Gaussian mixture; per point the component terms go to a scratch array
    // that a log-sum-exp helper reduces.
    // expect: clean
    // domain: data len 10; weights len 3; means len 3; logSigmas len 3; logSigmas in (-0.5, 0.5)
    [Differentiable]
    public static double GaussianMixtureLogLik(double[] data, double[] weights, double[] means, double[] logSigmas)
    {
        int k = means.Length;
        var logWeights = new double[k];
        double wMax = weights[0];
        for (int j = 1; j < k; j++) wMax = Math.Max(wMax, weights[j]);
        double z = 0;
        for (int j = 0; j < k; j++) z += Math.Exp(weights[j] - wMax);
        for (int j = 0; j < k; j++) logWeights[j] = weights[j] - wMax - Math.Log(z);

        var terms = new double[k];
        double total = 0;
        for (int i = 0; i < data.Length; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double sigma = Math.Exp(logSigmas[j]);
                double r = (data[i] - means[j]) / sigma;
                terms[j] = logWeights[j] - 0.5 * r * r - logSigmas[j] - 0.5 * Math.Log(2 * Math.PI);
            }
            total += LogSumExp(terms);
        }
        return total;
    }

    // Ridge regression fitted by a fixed number of gradient-descent steps inside the method; the
    // validation loss of the result (differentiating through the optimiser).
    // expect: clean
    // domain: xTrain len 16; yTrain len 8; xVal len 8; yVal len 4; lambda in (0.01, 0.5); lr in (0.05, 0.15); features = 2; epochs = 20
    [Differentiable]
    public static double RidgeByGradientDescent(double[] xTrain, double[] yTrain, double[] xVal, double[] yVal, double lambda, double lr, int features, int epochs)
    {
        int n = yTrain.Length;
        var w = new double[features];
        var grad = new double[features];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            for (int j = 0; j < features; j++) grad[j] = lambda * w[j];
            for (int i = 0; i < n; i++)
            {
                double pred = 0;
                for (int j = 0; j < features; j++) pred += w[j] * xTrain[i * features + j];
                double r = pred - yTrain[i];
                for (int j = 0; j < features; j++) grad[j] += r * xTrain[i * features + j] / n;
            }
            for (int j = 0; j < features; j++) w[j] -= lr * grad[j];
        }
        double loss = 0;
        for (int i = 0; i < yVal.Length; i++)
        {
            double pred = 0;
            for (int j = 0; j < features; j++) pred += w[j] * xVal[i * features + j];
            loss += (pred - yVal[i]) * (pred - yVal[i]);
        }
        return loss / yVal.Length;
    }

    // Soft k-means (a few EM-like rounds) on 1-D points; the final within-cluster distortion.
    // expect: clean
    // domain: points len 10; init len 3; beta in (1, 4); rounds = 5
    [Differentiable]
    public static double SoftKMeansDistortion(double[] points, double[] init, double beta, int rounds)
    {
        int k = init.Length, n = points.Length;
        var centers = new double[k];
        var resp = new double[k];
        var num = new double[k];
        var den = new double[k];
        for (int j = 0; j < k; j++) centers[j] = init[j];
        for (int r = 0; r < rounds; r++)
        {
            for (int j = 0; j < k; j++) { num[j] = 0; den[j] = 0; }
            for (int i = 0; i < n; i++)
            {
                double norm = 0;
                for (int j = 0; j < k; j++)
                {
                    double d = points[i] - centers[j];
                    resp[j] = Math.Exp(-beta * d * d);
                    norm += resp[j];
                }
                for (int j = 0; j < k; j++)
                {
                    double rij = resp[j] / norm;
                    num[j] += rij * points[i];
                    den[j] += rij;
                }
            }
            for (int j = 0; j < k; j++) centers[j] = num[j] / (den[j] + 1e-3);
        }
        double distortion = 0;
        for (int i = 0; i < n; i++)
        {
            double best = double.MaxValue;
            for (int j = 0; j < k; j++)
            {
                double d = points[i] - centers[j];
                if (d * d < best) best = d * d;
            }
            distortion += best;
        }
        return distortion;
    }

    // Gaussian-process negative log marginal likelihood with an RBF kernel: the Gram matrix, its
    // Cholesky factor, a triangular solve and the log-determinant, all in loops over flat storage.
    // expect: clean
    // domain: x len 6; y len 6; x in (-2, 2); logLength in (-0.5, 0.5); logNoise in (-2, -0.5)
    [Differentiable]
    public static double GaussianProcessNll(double[] x, double[] y, double logLength, double logNoise)
    {
        int n = x.Length;
        double ell = Math.Exp(logLength), noise = Math.Exp(2 * logNoise);
        var k = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double d = (x[i] - x[j]) / ell;
                double v = Math.Exp(-0.5 * d * d);
                if (i == j) v += noise;
                k[i * n + j] = v;
                k[j * n + i] = v;
            }
        }
        var l = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = k[i * n + j];
                for (int p = 0; p < j; p++) s -= l[i * n + p] * l[j * n + p];
                if (i == j) l[i * n + i] = Math.Sqrt(s);
                else l[i * n + j] = s / l[j * n + j];
            }
        }
        var alpha = new double[n];
        double logDet = 0;
        for (int i = 0; i < n; i++)
        {
            double s = y[i];
            for (int p = 0; p < i; p++) s -= l[i * n + p] * alpha[p];
            alpha[i] = s / l[i * n + i];
            logDet += Math.Log(l[i * n + i]);
        }
        double fit = 0;
        for (int i = 0; i < n; i++) fit += alpha[i] * alpha[i];
        return 0.5 * fit + logDet + 0.5 * n * Math.Log(2 * Math.PI);
    }
}

/// <summary>More simulations: molecular dynamics, stochastic paths, transport, game physics, curves.</summary>
public static partial class MoreSimulations
{
    // Lennard-Jones cluster in 2-D with a cutoff, relaxed by a few steps of steepest descent; the
    // relaxed energy. Pairs over j > i.
    // expect: clean
    // domain: px len 4; py len 4; px in (-0.1, 0.1); py in (-0.1, 0.1); stepSize in (0.002, 0.01); steps = 6
    [Differentiable]
    public static double LennardJonesRelaxed(double[] px, double[] py, double stepSize, int steps)
    {
        int n = px.Length;
        const double Cutoff2 = 6.25;
        var x = new double[n]; var y = new double[n];
        var fx = new double[n]; var fy = new double[n];
        // start from a square of side 1.12 (close to the pair minimum), perturbed
        for (int i = 0; i < n; i++)
        {
            x[i] = 1.12 * (i % 2) + px[i];
            y[i] = 1.12 * (i / 2) + py[i];
        }
        double energy = 0;
        for (int step = 0; step <= steps; step++)
        {
            energy = 0;
            for (int i = 0; i < n; i++) { fx[i] = 0; fy[i] = 0; }
            for (int i = 0; i < n - 1; i++)
            {
                for (int j = i + 1; j < n; j++)
                {
                    double dx = x[i] - x[j], dy = y[i] - y[j];
                    double r2 = dx * dx + dy * dy;
                    if (r2 > Cutoff2) continue;
                    double inv2 = 1.0 / r2;
                    double inv6 = inv2 * inv2 * inv2;
                    energy += 4 * (inv6 * inv6 - inv6);
                    double fOverR = 24 * inv2 * (2 * inv6 * inv6 - inv6);
                    fx[i] += fOverR * dx; fy[i] += fOverR * dy;
                    fx[j] -= fOverR * dx; fy[j] -= fOverR * dy;
                }
            }
            if (step == steps) break;
            for (int i = 0; i < n; i++)
            {
                x[i] += stepSize * fx[i];
                y[i] += stepSize * fy[i];
            }
        }
        return energy;
    }

    // Euler-Maruyama for an Ornstein-Uhlenbeck process driven by a seeded LCG (normals by Box-Muller);
    // the mean of X_T over a few paths, differentiated pathwise.
    // expect: clean
    // domain: theta in (0.5, 2); mu in (-1, 1); sigma in (0.1, 0.6); x0 in (-1, 1); paths = 16; steps = 20
    [Differentiable]
    public static double OrnsteinUhlenbeckMean(double theta, double mu, double sigma, double x0, int paths, int steps)
    {
        double dt = 1.0 / steps;
        double sqrtDt = Math.Sqrt(dt);
        uint rng = 2463534242u;
        double total = 0;
        for (int p = 0; p < paths; p++)
        {
            double x = x0;
            for (int s = 0; s < steps; s += 2)
            {
                rng = rng * 1664525u + 1013904223u;
                double u1 = (rng >> 8) * (1.0 / 16777216.0) + 1e-12;
                rng = rng * 1664525u + 1013904223u;
                double u2 = (rng >> 8) * (1.0 / 16777216.0);
                double radius = Math.Sqrt(-2.0 * Math.Log(u1));
                double z1 = radius * Math.Cos(2 * Math.PI * u2);
                double z2 = radius * Math.Sin(2 * Math.PI * u2);
                x += theta * (mu - x) * dt + sigma * sqrtDt * z1;
                if (s + 1 < steps)
                    x += theta * (mu - x) * dt + sigma * sqrtDt * z2;
            }
            total += x * x;
        }
        return total / paths;
    }

    // Entropic optimal transport (Sinkhorn-Knopp) between two histograms on a line, a fixed number of
    // scaling iterations; returns the transport cost <P, C>.
    // expect: clean
    // domain: a len 5; b len 5; a in (0.5, 1.5); b in (0.5, 1.5); epsilon in (0.3, 1); iterations = 30
    [Differentiable]
    public static double SinkhornCost(double[] a, double[] b, double epsilon, int iterations)
    {
        int n = a.Length, m = b.Length;
        var pa = new double[n];
        var pb = new double[m];
        double sa = 0, sb = 0;
        for (int i = 0; i < n; i++) sa += a[i];
        for (int j = 0; j < m; j++) sb += b[j];
        for (int i = 0; i < n; i++) pa[i] = a[i] / sa;
        for (int j = 0; j < m; j++) pb[j] = b[j] / sb;

        var kernel = new double[n * m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double c = (double)(i - j) / n;
                kernel[i * m + j] = Math.Exp(-c * c / epsilon);
            }
        var u = new double[n];
        var v = new double[m];
        for (int i = 0; i < n; i++) u[i] = 1;
        for (int j = 0; j < m; j++) v[j] = 1;
        for (int it = 0; it < iterations; it++)
        {
            for (int i = 0; i < n; i++)
            {
                double kv = 0;
                for (int j = 0; j < m; j++) kv += kernel[i * m + j] * v[j];
                u[i] = pa[i] / kv;
            }
            for (int j = 0; j < m; j++)
            {
                double ku = 0;
                for (int i = 0; i < n; i++) ku += kernel[i * m + j] * u[i];
                v[j] = pb[j] / ku;
            }
        }
        double cost = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double c = (double)(i - j) / n;
                cost += u[i] * kernel[i * m + j] * v[j] * c * c;
            }
        return cost;
    }

    // Viterbi: the log-probability of the best state path (max-product in log space) of a 3-state HMM.
    // expect: clean
    // domain: logTrans len 9; logEmit len 18; logTrans in (-3, 0); logEmit in (-3, 0); observations = 0,1,5,2,3,4,1
    [Differentiable]
    public static double ViterbiBestScore(double[] logTrans, double[] logEmit, int[] observations)
    {
        const int S = 3;
        int symbols = logEmit.Length / S;
        var delta = new double[S];
        var next = new double[S];
        for (int s = 0; s < S; s++) delta[s] = -Math.Log(S) + logEmit[s * symbols + observations[0]];
        for (int t = 1; t < observations.Length; t++)
        {
            for (int j = 0; j < S; j++)
            {
                double best = double.NegativeInfinity;
                for (int i = 0; i < S; i++)
                    best = Math.Max(best, delta[i] + logTrans[i * S + j]);
                next[j] = best + logEmit[j * symbols + observations[t]];
            }
            for (int j = 0; j < S; j++) delta[j] = next[j];
        }
        double result = delta[0];
        for (int s = 1; s < S; s++)
            if (delta[s] > result) result = delta[s];
        return result;
    }

    // Particles bouncing inside a unit box with restitution, semi-implicit Euler; reflections are branches.
    // expect: clean
    // domain: x0 len 3; y0 len 3; vx0 len 3; vy0 len 3; x0 in (0.2, 0.8); y0 in (0.2, 0.8); vx0 in (-2, 2); vy0 in (-2, 2); restitution in (0.6, 0.95); frames = 40
    [Differentiable]
    public static double BouncingParticles(double[] x0, double[] y0, double[] vx0, double[] vy0, double restitution, int frames)
    {
        const double dt = 0.02, g = -9.81;
        int n = x0.Length;
        var x = new double[n]; var y = new double[n];
        var vx = new double[n]; var vy = new double[n];
        for (int i = 0; i < n; i++) { x[i] = x0[i]; y[i] = y0[i]; vx[i] = vx0[i]; vy[i] = vy0[i]; }
        for (int f = 0; f < frames; f++)
        {
            for (int i = 0; i < n; i++)
            {
                vy[i] += g * dt;
                x[i] += vx[i] * dt;
                y[i] += vy[i] * dt;
                if (x[i] < 0) { x[i] = -x[i] * restitution; vx[i] = -vx[i] * restitution; }
                else if (x[i] > 1) { x[i] = 1 - (x[i] - 1) * restitution; vx[i] = -vx[i] * restitution; }
                if (y[i] < 0) { y[i] = -y[i] * restitution; vy[i] = -vy[i] * restitution; }
            }
        }
        double e = 0;
        for (int i = 0; i < n; i++) e += 0.5 * (vx[i] * vx[i] + vy[i] * vy[i]) - g * y[i];
        return e;
    }

    // Arc length of a planar Bézier curve by sampling de Casteljau's algorithm; the scratch arrays are
    // refilled at every sample and reduced in a triangular loop.
    // expect: clean
    // domain: cx len 5; cy len 5; samples = 24
    [Differentiable]
    public static double BezierArcLength(double[] cx, double[] cy, int samples)
    {
        int n = cx.Length;
        var bx = new double[n];
        var by = new double[n];
        double length = 0, lastX = 0, lastY = 0;
        for (int s = 0; s <= samples; s++)
        {
            double t = (double)s / samples;
            for (int i = 0; i < n; i++) { bx[i] = cx[i]; by[i] = cy[i]; }
            for (int level = 1; level < n; level++)
                for (int i = 0; i < n - level; i++)
                {
                    bx[i] = (1 - t) * bx[i] + t * bx[i + 1];
                    by[i] = (1 - t) * by[i] + t * by[i + 1];
                }
            if (s > 0)
            {
                double dx = bx[0] - lastX, dy = by[0] - lastY;
                length += Math.Sqrt(dx * dx + dy * dy);
            }
            lastX = bx[0];
            lastY = by[0];
        }
        return length;
    }

    // The Lorenz system by explicit Euler, a short horizon.
    // expect: clean
    // domain: sigma in (9, 11); rho in (20, 28); beta in (2, 3); steps = 50
    [Differentiable]
    public static double LorenzEuler(double sigma, double rho, double beta, int steps)
    {
        double x = 1, y = 1, z = 1;
        const double dt = 0.005;
        for (int i = 0; i < steps; i++)
        {
            double dx = sigma * (y - x);
            double dy = x * (rho - z) - y;
            double dz = x * y - beta * z;
            x += dt * dx;
            y += dt * dy;
            z += dt * dz;
        }
        return x + y + z;
    }

    // Numerical Recipes style: the right-hand side is a void routine that fills dydx.
    private static void HarmonicDerivs(double[] y, double[] dydx, double omega)
    {
        dydx[0] = y[1];
        dydx[1] = -omega * omega * y[0];
    }

    // Midpoint (RK2) stepping that calls the void derivs routine above.
    // expect: ADIFF004
    // domain: omega in (0.5, 2); steps = 10
    [Differentiable]
    public static double HarmonicMidpoint(double omega, int steps)
    {
        var y = new double[] { 1.0, 0.0 };
        var dydx = new double[2];
        var mid = new double[2];
        double h = 0.1;
        for (int s = 0; s < steps; s++)
        {
            HarmonicDerivs(y, dydx, omega);
            for (int i = 0; i < 2; i++) mid[i] = y[i] + 0.5 * h * dydx[i];
            HarmonicDerivs(mid, dydx, omega);
            for (int i = 0; i < 2; i++) y[i] += h * dydx[i];
        }
        return y[0];
    }

    // Beta-binomial style log-likelihood by running products turned into running log sums over counts.
    // expect: clean
    // domain: alpha in (0.5, 3); beta in (0.5, 3); counts = 3,5,0,7,2; trials = 8
    [Differentiable]
    public static double BetaBinomialLogLik(double alpha, double beta, int[] counts, int trials)
    {
        double ll = 0;
        for (int c = 0; c < counts.Length; c++)
        {
            int k = counts[c];
            // log B(k + a, n - k + b) - log B(a, b) via the rising products (a)_k (b)_{n-k} / (a+b)_n
            for (int i = 0; i < k; i++) ll += Math.Log(alpha + i);
            for (int i = 0; i < trials - k; i++) ll += Math.Log(beta + i);
            for (int i = 0; i < trials; i++) ll -= Math.Log(alpha + beta + i);
        }
        return ll;
    }
}

/// <summary>Integrators and kernels the way general-purpose code writes them: tableaus, helpers, framework calls.</summary>
public static partial class Integrators
{
    // Dormand-Prince 5(4) coefficients (fifth-order weights), lower-triangular a stored row by row.
    private static readonly double[] DpC = { 0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1 };
    private static readonly double[] DpA =
    {
        1.0 / 5,
        3.0 / 40, 9.0 / 40,
        44.0 / 45, -56.0 / 15, 32.0 / 9,
        19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729,
        9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656,
        35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84,
    };
    private static readonly double[] DpB = { 35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0 };

    // A generic explicit Runge-Kutta driver over a Butcher tableau (fixed step) for the damped Duffing
    // oscillator; stage derivatives in a flat stages x dim array, the triangular sum over earlier stages.
    // expect: clean
    // domain: x0 in (-1, 1); v0 in (-1, 1); delta in (0.1, 0.4); beta in (0.5, 2); steps = 10
    [Differentiable]
    public static double DuffingButcherTableau(double x0, double v0, double delta, double beta, int steps)
    {
        const int Stages = 7, Dim = 2;
        double h = 0.1, t = 0;
        var y = new double[Dim];
        var stage = new double[Dim];
        var k = new double[Stages * Dim];
        y[0] = x0;
        y[1] = v0;
        for (int step = 0; step < steps; step++)
        {
            int row = 0;
            for (int s = 0; s < Stages; s++)
            {
                for (int i = 0; i < Dim; i++)
                {
                    double acc = y[i];
                    for (int j = 0; j < s; j++)
                        acc += h * DpA[row + j] * k[j * Dim + i];
                    stage[i] = acc;
                }
                row += s;
                double ts = t + DpC[s] * h;
                k[s * Dim + 0] = stage[1];
                k[s * Dim + 1] = -delta * stage[1] - stage[0] - beta * stage[0] * stage[0] * stage[0] + 0.3 * Math.Cos(ts);
            }
            for (int i = 0; i < Dim; i++)
            {
                double incr = 0;
                for (int s = 0; s < Stages; s++) incr += DpB[s] * k[s * Dim + i];
                y[i] += h * incr;
            }
            t += h;
        }
        return y[0] * y[0] + y[1];
    }

    // expect: clean
    // domain: state len 4; state in (-1, 1); k in (0.5, 2)
    [Differentiable]
    private static double[] SpringRhs(double[] state, double k)
    {
        // state = (x1, x2, v1, v2): two masses, three springs
        var d = new double[4];
        d[0] = state[2];
        d[1] = state[3];
        d[2] = -k * state[0] + k * (state[1] - state[0]);
        d[3] = -k * state[1] - k * (state[1] - state[0]);
        return d;
    }

    // RK4 where the right-hand side is a helper that returns a new array, as in most textbook ports:
    // each step's stage arrays are new arrays allocated inside the loop.
    // expect: ADIFF014
    // domain: x1 in (-1, 1); x2 in (-1, 1); k in (0.5, 2); steps = 10
    [Differentiable]
    public static double TwoMassRk4WithArrayHelper(double x1, double x2, double k, int steps)
    {
        double h = 0.05;
        var y = new double[4];
        var tmp = new double[4];
        y[0] = x1;
        y[1] = x2;
        for (int s = 0; s < steps; s++)
        {
            double[] k1 = SpringRhs(y, k);
            for (int i = 0; i < 4; i++) tmp[i] = y[i] + 0.5 * h * k1[i];
            double[] k2 = SpringRhs(tmp, k);
            for (int i = 0; i < 4; i++) tmp[i] = y[i] + 0.5 * h * k2[i];
            double[] k3 = SpringRhs(tmp, k);
            for (int i = 0; i < 4; i++) tmp[i] = y[i] + h * k3[i];
            double[] k4 = SpringRhs(tmp, k);
            for (int i = 0; i < 4; i++)
                y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
        return y[0] - 0.5 * y[1] + 0.1 * y[2];
    }

    // Forces zeroed with Array.Clear at the start of every step, then accumulated over springs: a
    // framework call that overwrites an active array.
    // expect: ADIFF004
    // domain: x0 len 6; x0 in (-0.3, 0.3); k in (0.5, 2); steps = 10
    [Differentiable]
    public static double SpringChainArrayClear(double[] x0, double k, int steps)
    {
        int n = x0.Length;
        const double dt = 0.05;
        var x = new double[n];
        var v = new double[n];
        var f = new double[n];
        for (int i = 0; i < n; i++) x[i] = x0[i];
        for (int s = 0; s < steps; s++)
        {
            Array.Clear(f, 0, n);
            for (int i = 0; i + 1 < n; i++)
            {
                double stretch = x[i + 1] - x[i];
                f[i] += k * stretch;
                f[i + 1] -= k * stretch;
            }
            for (int i = 0; i < n; i++)
            {
                v[i] += dt * f[i];
                x[i] += dt * v[i];
            }
        }
        double e = 0;
        for (int i = 0; i < n; i++) e += x[i] * x[i] * (i + 1);
        return e;
    }

    // A damped spring follower in single precision, as a game camera would smooth its target.
    // expect: clean
    // domain: target len 20; stiffness in (5, 20); damping in (1, 5)
    [Differentiable]
    public static float SpringDamperFollowFloat(float[] target, float stiffness, float damping)
    {
        const float dt = 1f / 60f;
        float pos = 0f, vel = 0f, lag = 0f;
        for (int i = 0; i < target.Length; i++)
        {
            float accel = stiffness * (target[i] - pos) - damping * vel;
            vel += accel * dt;
            pos += vel * dt;
            float err = target[i] - pos;
            lag += err * err;
        }
        return lag / target.Length;
    }

    // expect: clean
    // domain: w len 6; x len 6; offset = 3; count = 3
    [Differentiable]
    private static double DotAt(double[] w, double[] x, int offset, int count)
    {
        double s = 0;
        for (int i = 0; i < count; i++) s += w[offset + i] * x[offset + i];
        return s;
    }

    // A linear layer whose rows are dotted by a helper called inside the row loop; softplus on top.
    // expect: clean
    // domain: w len 12; x len 12; rows = 4
    [Differentiable]
    public static double RowwiseSoftplusLayer(double[] w, double[] x, int rows)
    {
        int cols = w.Length / rows;
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            double z = DotAt(w, x, r * cols, cols);
            total += Math.Log(1 + Math.Exp(z));
        }
        return total;
    }
}

/// <summary>Searches and scans with early exits.</summary>
public static partial class Scans
{
    // Wealth compounding with a running peak; the maximum drawdown seen along the way.
    // expect: clean
    // domain: returns len 15; returns in (-0.1, 0.1); leverage in (0.5, 2)
    [Differentiable]
    public static double MaxDrawdown(double[] returns, double leverage)
    {
        double wealth = 1, peak = 1, worst = 0;
        foreach (double r in returns)
        {
            wealth *= 1 + leverage * r;
            peak = Math.Max(peak, wealth);
            double dd = (peak - wealth) / peak;
            if (dd > worst) worst = dd;
        }
        return worst;
    }

    // First time a discretised Brownian-like path (given increments) crosses a barrier, interpolated
    // within the crossing step; the horizon if it never does.
    // expect: clean
    // domain: increments len 30; increments in (-0.2, 0.4); barrier in (1, 2); drift in (0.05, 0.2)
    [Differentiable]
    public static double FirstPassageTime(double[] increments, double barrier, double drift)
    {
        const double dt = 0.1;
        double x = 0;
        for (int i = 0; i < increments.Length; i++)
        {
            double next = x + drift + increments[i];
            if (next >= barrier)
                return (i + (barrier - x) / (next - x)) * dt;
            x = next;
        }
        return increments.Length * dt;
    }

    // Nested search that returns from inside the inner loop: the first grid cell where a bilinear
    // field exceeds a level, refined linearly along the row.
    // expect: clean
    // domain: field len 25; field in (0, 1); level in (0.6, 0.9)
    [Differentiable]
    public static double FirstExceedance(double[] field, double level)
    {
        const int N = 5;
        for (int i = 0; i < N; i++)
        {
            for (int j = 1; j < N; j++)
            {
                double a = field[i * N + j - 1], b = field[i * N + j];
                if (a < level && b >= level)
                    return i * N + (j - 1) + (level - a) / (b - a);
            }
        }
        return -1;
    }

    // Bisection written as a do-while for the break-even rate of a cash-flow series (IRR), then the NPV
    // sensitivity at that rate.
    // expect: clean
    // domain: flows len 6; flows in (0.2, 0.6); outlay in (1.2, 2)
    [Differentiable]
    public static double InternalRateOfReturn(double[] flows, double outlay)
    {
        double lo = -0.5, hi = 1.0, mid;
        int iterations = 0;
        do
        {
            mid = 0.5 * (lo + hi);
            double npv = -outlay, discount = 1;
            for (int t = 0; t < flows.Length; t++)
            {
                discount /= 1 + mid;
                npv += flows[t] * discount;
            }
            if (npv > 0) lo = mid; else hi = mid;
            iterations++;
        } while (hi - lo > 1e-12 && iterations < 200);
        // polish with Newton steps so that the result depends smoothly on the inputs
        double r = mid;
        for (int it = 0; it < 3; it++)
        {
            double f = -outlay, df = 0, disc = 1;
            for (int t = 0; t < flows.Length; t++)
            {
                disc /= 1 + r;
                f += flows[t] * disc;
                df -= (t + 1) * flows[t] * disc / (1 + r);
            }
            r -= f / df;
        }
        return r;
    }

    // Insertion sort of a working copy (comparisons move values around), then a trimmed mean.
    // expect: clean
    // domain: data len 9; trim = 2
    [Differentiable]
    public static double TrimmedMeanInsertionSort(double[] data, int trim)
    {
        int n = data.Length;
        var a = new double[n];
        for (int i = 0; i < n; i++) a[i] = data[i];
        for (int i = 1; i < n; i++)
        {
            double key = a[i];
            int j = i - 1;
            while (j >= 0 && a[j] > key)
            {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = key;
        }
        double s = 0;
        for (int i = trim; i < n - trim; i++) s += a[i];
        return s / (n - 2 * trim);
    }

    // Running product of survival probabilities (a life table): expected curtate lifetime.
    // expect: clean
    // domain: hazards len 20; hazards in (0.01, 0.2)
    [Differentiable]
    public static double CurtateLifeExpectancy(double[] hazards)
    {
        double survival = 1, expectancy = 0;
        int t = 0;
        while (t < hazards.Length && survival > 1e-12)
        {
            survival *= 1 - hazards[t];
            expectancy += survival;
            t++;
        }
        return expectancy;
    }
}

/// <summary>Grids indexed from values, scatter and gather through index arrays, and helpers on shared arrays.</summary>
public static partial class Indexing
{
    // Semi-Lagrangian advection (Stam's stable fluids in 1-D): trace each node back along the velocity
    // and interpolate linearly between the two grid nodes around the departure point.
    // expect: clean, ADIFF008
    // domain: q0 len 16; q0 in (0, 1); speed in (0.3, 0.7); steps = 6
    [Differentiable]
    public static double SemiLagrangianAdvection(double[] q0, double speed, int steps)
    {
        int n = q0.Length;
        const double dt = 0.1;
        double dx = 1.0 / n;
        var q = new double[n];
        var q1 = new double[n];
        for (int i = 0; i < n; i++) q[i] = q0[i];
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < n; i++)
            {
                double back = i - speed * dt / dx;          // departure point in grid units
                back = back - n * Math.Floor(back / n);     // periodic wrap
                int i0 = (int)back;
                int i1 = (i0 + 1) % n;
                double w = back - i0;
                q1[i] = (1 - w) * q[i0] + w * q[i1];
            }
            for (int i = 0; i < n; i++) q[i] = q1[i];
        }
        double m = 0;
        for (int i = 0; i < n; i++) m += q[i] * q[i] * Math.Cos(2 * Math.PI * i / n);
        return m;
    }

    // Segment sums by scatter-add through an index array (torch.index_add / np.add.at), then a
    // log-sum-exp over the segments.
    // expect: clean
    // domain: values len 8; segment = 0,2,1,2,0,1,1,2; segments = 3
    [Differentiable]
    public static double SegmentScatterLogSumExp(double[] values, int[] segment, int segments)
    {
        var sums = new double[segments];
        for (int i = 0; i < values.Length; i++)
            sums[segment[i]] += values[i] * values[i];
        double m = sums[0];
        for (int s = 1; s < segments; s++) m = Math.Max(m, sums[s]);
        double z = 0;
        for (int s = 0; s < segments; s++) z += Math.Exp(sums[s] - m);
        return m + Math.Log(z);
    }

    // Embedding lookup through token ids (gather), mean pooling, then a dot product with a read-out.
    // expect: clean
    // domain: embedding len 15; readout len 3; tokens = 4,1,1,0,3; dim = 3
    [Differentiable]
    public static double EmbeddingBagReadout(double[] embedding, double[] readout, int[] tokens, int dim)
    {
        var pooled = new double[dim];
        for (int t = 0; t < tokens.Length; t++)
            for (int j = 0; j < dim; j++)
                pooled[j] += embedding[tokens[t] * dim + j] / tokens.Length;
        double y = 0;
        for (int j = 0; j < dim; j++) y += Math.Tanh(pooled[j]) * readout[j];
        return y;
    }

    // expect: clean
    // domain: a len 5; b len 5
    [Differentiable]
    public static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    // Gram-Schmidt-style projections with the same array passed as both arguments of a dot helper.
    // expect: clean
    // domain: u len 5; v len 5; u in (0.5, 1.5)
    [Differentiable]
    public static double ProjectionResidualWithDotHelper(double[] u, double[] v)
    {
        var r = new double[v.Length];
        double coeff = Dot(u, v) / Dot(u, u);
        for (int i = 0; i < v.Length; i++) r[i] = v[i] - coeff * u[i];
        return Dot(r, r);
    }

    // Newton's method in a while (true) loop that returns from inside: the Lambert W function.
    // expect: clean
    // domain: x in (0.2, 5)
    [Differentiable]
    public static double LambertW(double x)
    {
        double w = Math.Log(1 + x);
        int iter = 0;
        while (true)
        {
            double ew = Math.Exp(w);
            double f = w * ew - x;
            double step = f / (ew * (w + 1) - (w + 2) * f / (2 * w + 2));   // Halley
            w -= step;
            if (Math.Abs(step) < 1e-15 * (1 + Math.Abs(w)) || ++iter >= 50)
                return w;
        }
    }

    // Histogram with linear binning (cloud-in-cell deposit): each sample splits its weight between the
    // two nearest bins; the smoothed density's roughness.
    // expect: clean, ADIFF008
    // domain: samples len 12; samples in (0.05, 0.95); weights len 12; weights in (0.5, 1.5); bins = 8
    [Differentiable]
    public static double CloudInCellRoughness(double[] samples, double[] weights, int bins)
    {
        var density = new double[bins + 1];
        for (int i = 0; i < samples.Length; i++)
        {
            double pos = samples[i] * bins;
            int left = (int)pos;
            double frac = pos - left;
            density[left] += weights[i] * (1 - frac);
            density[left + 1] += weights[i] * frac;
        }
        double rough = 0;
        for (int b = 1; b < bins; b++)
        {
            double d2 = density[b - 1] - 2 * density[b] + density[b + 1];
            rough += d2 * d2;
        }
        return rough;
    }
}
