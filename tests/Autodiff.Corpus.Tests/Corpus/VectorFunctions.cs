using System;
using System.Collections.Generic;
using Autodiff;

namespace Corpus.VectorFunctions;

/// <summary>Fixed-size vector and quaternion routines, as game-math and geometry code writes them.</summary>
public static partial class VectorMath
{
    // expect: clean
    // domain: r in (0.5, 3); theta in (0.1, 3); phi in (-3, 3)
    [Differentiable]
    public static double[] SphericalToCartesian(double r, double theta, double phi)
    {
        // Physics convention: theta is the polar angle from +z, phi the azimuth in the xy-plane.
        double sinTheta = Math.Sin(theta);
        return new[]
        {
            r * sinTheta * Math.Cos(phi),
            r * sinTheta * Math.Sin(phi),
            r * Math.Cos(theta),
        };
    }

    // expect: clean
    // domain: r in (0.5, 3); theta in (-3, 3)
    [Differentiable]
    public static float[] PolarToCartesian(float r, float theta) => [r * MathF.Cos(theta), r * MathF.Sin(theta)];

    // expect: clean
    // domain: v in (0.2, 2)
    [Differentiable]
    public static double[] Normalize(double[] v)
    {
        double sumSq = 0;
        for (int i = 0; i < v.Length; i++)
            sumSq += v[i] * v[i];
        double invLength = 1.0 / Math.Sqrt(sumSq);

        var result = new double[v.Length];
        for (int i = 0; i < v.Length; i++)
            result[i] = v[i] * invLength;
        return result;
    }

    // expect: clean
    // domain: p len 4; q len 4
    [Differentiable]
    public static double[] QuaternionMultiply(double[] p, double[] q)
    {
        // Hamilton product, scalar part first: (w, x, y, z).
        double pw = p[0], px = p[1], py = p[2], pz = p[3];
        double qw = q[0], qx = q[1], qy = q[2], qz = q[3];

        var r = new double[4];
        r[0] = pw * qw - px * qx - py * qy - pz * qz;
        r[1] = pw * qx + px * qw + py * qz - pz * qy;
        r[2] = pw * qy - px * qz + py * qw + pz * qx;
        r[3] = pw * qz + px * qy - py * qx + pz * qw;
        return r;
    }

    // expect: clean
    // domain: q len 4; v len 3
    [Differentiable]
    public static double[] RotateByQuaternion(double[] q, double[] v)
    {
        // v' = q * (0, v) * conj(q); for a unit quaternion this is a rotation.
        double[] pure = [0, v[0], v[1], v[2]];
        double[] t = QuaternionMultiply(q, pure);
        double[] rotated = QuaternionMultiply(t, new[] { q[0], -q[1], -q[2], -q[3] });
        return new[] { rotated[1], rotated[2], rotated[3] };
    }

    // expect: clean
    // domain: u len 3; v len 3
    [Differentiable]
    public static double[] GramSchmidt(double[] u, double[] v)
    {
        // Orthonormal basis of span(u, v): returns e1 followed by e2.
        double[] e1 = Normalize(u);
        double projection = 0;
        for (int i = 0; i < 3; i++)
            projection += v[i] * e1[i];

        var w = new double[3];
        for (int i = 0; i < 3; i++)
            w[i] = v[i] - projection * e1[i];
        double[] e2 = Normalize(w);

        var basis = new double[6];
        for (int i = 0; i < 3; i++)
        {
            basis[i] = e1[i];
            basis[i + 3] = e2[i];
        }
        return basis;
    }

    // expect: clean
    // domain: a in (2, 3); d in (2, 3); b in (-1, 1); c in (-1, 1)
    [Differentiable]
    public static double[] Inverse2x2(double a, double b, double c, double d)
    {
        // [a b; c d]^-1, row-major.
        double det = a * d - b * c;
        if (Math.Abs(det) < 1e-12)
            throw new InvalidOperationException("Matrix is singular.");
        double invDet = 1.0 / det;
        return new[] { d * invDet, -b * invDet, -c * invDet, a * invDet };
    }

    // expect: ADIFF020
    [Differentiable]
    public static double[] ScaleInPlace(double[] v, double factor)
    {
        // Fluent in-place API: scales and hands back the same array.
        for (int i = 0; i < v.Length; i++)
            v[i] *= factor;
        return v;
    }

    // expect: ADIFF020
    [Differentiable]
    public static double[] SafeNormalize(double[] v)
    {
        double length = 0;
        for (int i = 0; i < v.Length; i++)
            length += v[i] * v[i];
        length = Math.Sqrt(length);

        var result = new double[v.Length];
        if (length < 1e-12)
            return result; // the zero vector stays zero

        for (int i = 0; i < v.Length; i++)
            result[i] = v[i] / length;
        return result;
    }

    // expect: ADIFF002
    [Differentiable]
    public static double[][] OuterProduct(double[] a, double[] b)
    {
        var rows = new double[a.Length][];
        for (int i = 0; i < a.Length; i++)
        {
            rows[i] = new double[b.Length];
            for (int j = 0; j < b.Length; j++)
                rows[i][j] = a[i] * b[j];
        }
        return rows;
    }
}

/// <summary>Activations, normalisation and small network layers, as ML snippets write them.</summary>
public static partial class Activations
{
    // expect: clean
    [Differentiable]
    public static double[] Softmax(double[] z)
    {
        // Subtract the maximum for numerical stability.
        double max = double.NegativeInfinity;
        foreach (double v in z)
            if (v > max) max = v;

        var e = new double[z.Length];
        double sum = 0;
        for (int i = 0; i < z.Length; i++)
        {
            e[i] = Math.Exp(z[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < e.Length; i++)
            e[i] /= sum;
        return e;
    }

    // expect: clean
    [Differentiable]
    public static double[] LogSoftmax(double[] z)
    {
        double max = z[0];
        for (int i = 1; i < z.Length; i++)
            max = Math.Max(max, z[i]);

        double sum = 0;
        for (int i = 0; i < z.Length; i++)
            sum += Math.Exp(z[i] - max);
        double logSumExp = max + Math.Log(sum);

        var result = new double[z.Length];
        for (int i = 0; i < z.Length; i++)
            result[i] = z[i] - logSumExp;
        return result;
    }

    // expect: clean
    // domain: temperature in (0.3, 3)
    [Differentiable]
    public static double[] SoftmaxWithTemperature(double[] logits, double temperature)
    {
        var scaled = new double[logits.Length];
        for (int i = 0; i < logits.Length; i++)
            scaled[i] = logits[i] / temperature;
        return Softmax(scaled);
    }

    // expect: clean
    // domain: label = 2
    [Differentiable]
    public static double CrossEntropy(double[] logits, int label)
    {
        double[] p = Softmax(logits);
        return -Math.Log(p[label]);
    }

    // expect: clean
    // domain: x len 6; gamma len 6; beta len 6; epsilon in (0.00001, 0.001)
    [Differentiable]
    public static double[] LayerNorm(double[] x, double[] gamma, double[] beta, [NoGrad] double epsilon)
    {
        int n = x.Length;
        double mean = 0;
        for (int i = 0; i < n; i++) mean += x[i];
        mean /= n;

        double variance = 0;
        for (int i = 0; i < n; i++)
        {
            double d = x[i] - mean;
            variance += d * d;
        }
        variance /= n;

        double invStd = 1.0 / Math.Sqrt(variance + epsilon);
        var y = new double[n];
        for (int i = 0; i < n; i++)
            y[i] = gamma[i] * (x[i] - mean) * invStd + beta[i];
        return y;
    }

    // expect: clean
    // domain: slope in (0.01, 0.2)
    [Differentiable]
    public static float[] LeakyRelu(float[] x, [NoGrad] float slope)
    {
        var y = new float[x.Length];
        int i = 0;
        foreach (float v in x)
        {
            y[i++] = v > 0f ? v : slope * v;
        }
        return y;
    }

    // expect: clean
    // domain: w1 len 12; b1 len 4; w2 len 8; b2 len 2; input len 3
    [Differentiable]
    public static double[] TwoLayerForward(double[] w1, double[] b1, double[] w2, double[] b2, [NoGrad] double[] input)
    {
        // input (3) -> tanh hidden (4) -> linear output (2); weights row-major.
        int inputSize = input.Length, hiddenSize = b1.Length, outputSize = b2.Length;

        var hidden = new double[hiddenSize];
        for (int h = 0; h < hiddenSize; h++)
        {
            double a = b1[h];
            for (int i = 0; i < inputSize; i++)
                a += w1[h * inputSize + i] * input[i];
            hidden[h] = Math.Tanh(a);
        }

        var output = new double[outputSize];
        for (int o = 0; o < outputSize; o++)
        {
            double a = b2[o];
            for (int h = 0; h < hiddenSize; h++)
                a += w2[o * hiddenSize + h] * hidden[h];
            output[o] = a;
        }
        return output;
    }

    // expect: clean
    // domain: w1 len 12; b1 len 4; w2 len 8; b2 len 2; input len 3; target len 2
    [Differentiable]
    public static double NetworkSquaredError(double[] w1, double[] b1, double[] w2, double[] b2,
        [NoGrad] double[] input, [NoGrad] double[] target)
    {
        double[] prediction = TwoLayerForward(w1, b1, w2, b2, input);
        double loss = 0;
        for (int k = 0; k < prediction.Length; k++)
        {
            double error = prediction[k] - target[k];
            loss += error * error;
        }
        return 0.5 * loss;
    }

    // expect: clean
    // domain: query len 3; keys len 12; values len 12; count = 4
    [Differentiable]
    public static double[] Attend(double[] query, double[] keys, double[] values, int count)
    {
        // Scaled dot-product attention of one query over `count` key/value rows of width query.Length.
        int d = query.Length;
        double scale = 1.0 / Math.Sqrt(d);

        var scores = new double[count];
        for (int j = 0; j < count; j++)
        {
            double s = 0;
            for (int k = 0; k < d; k++)
                s += query[k] * keys[j * d + k];
            scores[j] = s * scale;
        }

        double[] weights = Softmax(scores);
        var context = new double[d];
        for (int j = 0; j < count; j++)
            for (int k = 0; k < d; k++)
                context[k] += weights[j] * values[j * d + k];
        return context;
    }

    // expect: ADIFF014|ADIFF020
    // domain: useSoftmax = true
    [Differentiable]
    public static double[] Normalized(double[] z, bool useSoftmax)
    {
        double[] probabilities = Softmax(z);
        double[] logProbabilities = LogSoftmax(z);
        return useSoftmax ? probabilities : logProbabilities;
    }

    // expect: ADIFF002
    [Differentiable]
    public static List<double> ScaledList(double[] xs, double scale)
    {
        var list = new List<double>(xs.Length);
        foreach (double x in xs)
            list.Add(x * scale);
        return list;
    }
}

/// <summary>Time steppers and trajectories, as small physics simulations write them.</summary>
public static partial class Simulation
{
    // expect: clean
    // domain: state len 2; omega in (0.5, 3)
    [Differentiable]
    public static double[] OscillatorDerivative(double[] state, double omega) =>
        new[] { state[1], -omega * omega * state[0] };

    // expect: clean
    // domain: state len 2; omega in (0.5, 3); dt in (0.01, 0.2)
    [Differentiable]
    public static double[] Rk4Step(double[] state, double omega, [NoGrad] double dt)
    {
        double[] k1 = OscillatorDerivative(state, omega);
        double[] s2 = { state[0] + 0.5 * dt * k1[0], state[1] + 0.5 * dt * k1[1] };
        double[] k2 = OscillatorDerivative(s2, omega);
        double[] s3 = { state[0] + 0.5 * dt * k2[0], state[1] + 0.5 * dt * k2[1] };
        double[] k3 = OscillatorDerivative(s3, omega);
        double[] s4 = { state[0] + dt * k3[0], state[1] + dt * k3[1] };
        double[] k4 = OscillatorDerivative(s4, omega);

        var next = new double[2];
        for (int i = 0; i < 2; i++)
            next[i] = state[i] + dt / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        return next;
    }

    // expect: clean
    // domain: state len 2; omega in (0.5, 3); dt in (0.01, 0.2)
    [Differentiable]
    public static double EnergyAfterStep(double[] state, double omega, [NoGrad] double dt)
    {
        double[] s = Rk4Step(state, omega, dt);
        return 0.5 * s[1] * s[1] + 0.5 * omega * omega * s[0] * s[0];
    }

    // expect: clean
    // domain: speed in (5, 20); angle in (0.2, 1.3); drag in (0.01, 0.1); steps = 40
    [Differentiable]
    public static double[] ProjectileWithDrag(double speed, double angle, double drag, int steps)
    {
        const double g = 9.81, dt = 0.02;
        double x = 0, y = 0;
        double vx = speed * Math.Cos(angle), vy = speed * Math.Sin(angle);
        for (int i = 0; i < steps; i++)
        {
            double v = Math.Sqrt(vx * vx + vy * vy);
            double ax = -drag * v * vx;
            double ay = -g - drag * v * vy;
            vx += ax * dt;
            vy += ay * dt;
            x += vx * dt;
            y += vy * dt;
            if (y < 0)
                break; // hit the ground
        }
        return [x, y, vx, vy];
    }

    // expect: clean
    // domain: r in (2.5, 3.4); x0 in (0.1, 0.9); steps = 6
    [Differentiable]
    public static double[] LogisticMapOrbit(double r, double x0, int steps)
    {
        var orbit = new double[steps + 1];
        orbit[0] = x0;
        for (int n = 1; n <= steps; n++)
            orbit[n] = r * orbit[n - 1] * (1 - orbit[n - 1]);
        return orbit;
    }

    // expect: ADIFF014
    // domain: omega in (0.5, 3); steps = 10
    [Differentiable]
    public static double[] EulerIntegrate(double x0, double v0, double omega, int steps)
    {
        const double dt = 0.01;
        var state = new double[] { x0, v0 };
        for (int n = 0; n < steps; n++)
        {
            double[] rate = OscillatorDerivative(state, omega);
            state[0] += dt * rate[0];
            state[1] += dt * rate[1];
        }
        return state;
    }

    // expect: ADIFF014
    // domain: omega in (0.5, 3); steps = 10
    [Differentiable]
    public static double[] Trajectory(double x0, double v0, double omega, int steps)
    {
        double[] state = { x0, v0 };
        for (int n = 0; n < steps; n++)
            state = Rk4Step(state, omega, 0.05);
        return state;
    }
}

/// <summary>Grid and polynomial routines from numerical-methods textbooks.</summary>
public static partial class Grids
{
    // expect: clean
    // domain: u len 7; h in (0.1, 1)
    [Differentiable]
    public static double[] Laplacian(double[] u, [NoGrad] double h)
    {
        int n = u.Length;
        var lap = new double[n];
        double invH2 = 1.0 / (h * h);
        for (int i = 1; i < n - 1; i++)
            lap[i] = (u[i - 1] - 2 * u[i] + u[i + 1]) * invH2;
        // Reflecting (Neumann) ends.
        lap[0] = 2 * (u[1] - u[0]) * invH2;
        lap[n - 1] = 2 * (u[n - 2] - u[n - 1]) * invH2;
        return lap;
    }

    // expect: clean
    // domain: xs len 8; window = 3
    [Differentiable]
    public static double[] MovingAverage(double[] xs, int window)
    {
        if (window <= 0 || window > xs.Length)
            throw new ArgumentOutOfRangeException(nameof(window));

        var result = new double[xs.Length - window + 1];
        double sum = 0;
        for (int i = 0; i < window; i++)
            sum += xs[i];
        result[0] = sum / window;
        for (int i = window; i < xs.Length; i++)
        {
            sum += xs[i] - xs[i - window];
            result[i - window + 1] = sum / window;
        }
        return result;
    }

    // expect: clean
    // domain: xs in (0.5, 1.5)
    [Differentiable]
    public static float[] CumulativeProduct(float[] xs)
    {
        float[] result = new float[xs.Length];
        float running = 1f;
        for (int i = 0; i < xs.Length; i++)
        {
            running *= xs[i];
            result[i] = running;
        }
        return result;
    }

    // expect: clean
    // domain: coefficients len 4; points len 5
    [Differentiable]
    public static double[] EvaluateAt(double[] coefficients, [NoGrad] double[] points)
    {
        // coefficients[i] multiplies x^i; Horner's scheme at every point.
        var values = new double[points.Length];
        for (int k = 0; k < points.Length; k++)
        {
            double x = points[k];
            double acc = coefficients[coefficients.Length - 1];
            for (int i = coefficients.Length - 2; i >= 0; i--)
                acc = acc * x + coefficients[i];
            values[k] = acc;
        }
        return values;
    }

    // expect: clean
    // domain: c len 5
    [Differentiable]
    public static double[] DerivativeCoefficients(double[] c)
    {
        // d/dx sum c[i] x^i = sum i c[i] x^(i-1); a constant's derivative is the zero polynomial.
        var d = new double[Math.Max(c.Length - 1, 1)];
        for (int i = 1; i < c.Length; i++)
            d[i - 1] = i * c[i];
        return d;
    }

    // expect: clean
    // domain: values len 6; queries len 4; queries in (0.05, 2.4); x0 in (-0.1, 0.1); dx in (0.5, 1)
    [Differentiable]
    public static double[] InterpolateUniform(double[] values, [NoGrad] double x0, [NoGrad] double dx, double[] queries)
    {
        // Piecewise-linear interpolation of samples at x0, x0 + dx, ...; clamps to the end cells.
        int last = values.Length - 1;
        var result = new double[queries.Length];
        for (int q = 0; q < queries.Length; q++)
        {
            double x = queries[q];
            int k = 0;
            while (k < last - 1 && x0 + (k + 1) * dx <= x)
                k++;
            double t = (x - (x0 + k * dx)) / dx;
            result[q] = (1 - t) * values[k] + t * values[k + 1];
        }
        return result;
    }

    // expect: ADIFF014
    // domain: u len 7; steps = 5
    [Differentiable]
    public static double[] Diffuse(double[] u, double alpha, int steps)
    {
        // Explicit heat equation with the usual pair of swapped buffers.
        int n = u.Length;
        var current = new double[n];
        var next = new double[n];
        for (int i = 0; i < n; i++) current[i] = u[i];
        for (int s = 0; s < steps; s++)
        {
            for (int i = 1; i < n - 1; i++)
                next[i] = current[i] + alpha * (current[i - 1] - 2 * current[i] + current[i + 1]);
            next[0] = current[0];
            next[n - 1] = current[n - 1];
            var tmp = current;
            current = next;
            next = tmp;
        }
        return current;
    }

    // expect: ADIFF014
    // domain: signal len 6; passes = 3
    [Differentiable]
    public static double[] BoxSmooth(double[] signal, int passes)
    {
        var result = new double[signal.Length];
        for (int i = 0; i < signal.Length; i++) result[i] = signal[i];
        for (int p = 0; p < passes; p++)
        {
            var smoothed = new double[result.Length];
            smoothed[0] = result[0];
            smoothed[result.Length - 1] = result[result.Length - 1];
            for (int i = 1; i < result.Length - 1; i++)
                smoothed[i] = (result[i - 1] + result[i] + result[i + 1]) / 3.0;
            for (int i = 0; i < result.Length; i++) result[i] = smoothed[i];
        }
        return result;
    }

    // expect: ADIFF014
    [Differentiable]
    public static double[] Centered(double[] samples)
    {
        var data = samples;
        double mean = 0;
        for (int i = 0; i < data.Length; i++) mean += data[i];
        mean /= data.Length;

        var result = new double[data.Length];
        for (int i = 0; i < data.Length; i++)
            result[i] = data[i] - mean;
        return result;
    }
}
