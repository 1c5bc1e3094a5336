using System;
using Autodiff;

namespace Corpus.SmallArrays;

/// <summary>
/// Robotics, graphics and physics kernels written with small fixed-size local arrays: 3-vectors as
/// <c>new double[3]</c>, row-major 3x3 matrices as <c>new double[9]</c>, quaternions (w, x, y, z) as
/// <c>new double[4]</c>, updated element by element or in short loops of constant count.
/// </summary>
public static partial class Kinematics
{
    // expect: clean
    // domain: a len 3; b len 3; c len 3
    [Differentiable]
    public static double ScalarTripleProduct(double[] a, double[] b, double[] c)
    {
        double[] n = new double[3];
        n[0] = a[1] * b[2] - a[2] * b[1];
        n[1] = a[2] * b[0] - a[0] * b[2];
        n[2] = a[0] * b[1] - a[1] * b[0];
        return n[0] * c[0] + n[1] * c[1] + n[2] * c[2];
    }

    // expect: clean
    // domain: a len 3; b len 3
    [Differentiable]
    public static double CrossNormSquared(double[] a, double[] b)
    {
        var c = new double[3];
        for (int i = 0; i < 3; i++)
        {
            int j = (i + 1) % 3, k = (i + 2) % 3;
            c[i] = a[j] * b[k] - a[k] * b[j];
        }
        double sum = 0;
        for (int i = 0; i < 3; i++)
            sum += c[i] * c[i];
        return sum;
    }

    // expect: clean
    // domain: a len 3; b len 3
    [Differentiable]
    public static double AngleBetween(double[] a, double[] b)
    {
        // atan2(|a x b|, a . b) is accurate at every angle, unlike acos of the normalized dot product.
        double[] cross = new double[3];
        cross[0] = a[1] * b[2] - a[2] * b[1];
        cross[1] = a[2] * b[0] - a[0] * b[2];
        cross[2] = a[0] * b[1] - a[1] * b[0];
        double sinPart = Math.Sqrt(cross[0] * cross[0] + cross[1] * cross[1] + cross[2] * cross[2]);
        double cosPart = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
        return Math.Atan2(sinPart, cosPart);
    }

    // expect: clean
    // domain: w len 3; w in (0.3, 1.2); p len 3; target len 3
    [Differentiable]
    public static double RodriguesRotationError(double[] w, double[] p, double[] target)
    {
        // Rotate p by the rotation vector w (axis * angle), then squared distance to the target.
        double theta = Math.Sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
        double[] k = new double[3];
        for (int i = 0; i < 3; i++)
            k[i] = w[i] / theta;
        double c = Math.Cos(theta), s = Math.Sin(theta);
        double kDotP = k[0] * p[0] + k[1] * p[1] + k[2] * p[2];

        double[] kCrossP = new double[3];
        kCrossP[0] = k[1] * p[2] - k[2] * p[1];
        kCrossP[1] = k[2] * p[0] - k[0] * p[2];
        kCrossP[2] = k[0] * p[1] - k[1] * p[0];

        double[] r = new double[3];
        for (int i = 0; i < 3; i++)
            r[i] = p[i] * c + kCrossP[i] * s + k[i] * kDotP * (1 - c);

        double err = 0;
        for (int i = 0; i < 3; i++)
        {
            double d = r[i] - target[i];
            err += d * d;
        }
        return err;
    }

    // expect: clean
    // domain: ax in (0.2, 1.5); ay in (0.2, 1.5); az in (0.2, 1.5); angle in (-3, 3)
    [Differentiable]
    public static double RodriguesMatrixEntries(double ax, double ay, double az, double angle)
    {
        // R = I + sin(a) K + (1 - cos(a)) K^2, K the cross-product matrix of the unit axis.
        double len = Math.Sqrt(ax * ax + ay * ay + az * az);
        double[] k = new double[3];
        k[0] = ax / len;
        k[1] = ay / len;
        k[2] = az / len;

        double[] K = new double[9];
        K[1] = -k[2]; K[2] = k[1];
        K[3] = k[2]; K[5] = -k[0];
        K[6] = -k[1]; K[7] = k[0];

        double[] K2 = new double[9];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                for (int m = 0; m < 3; m++)
                    K2[3 * i + j] += K[3 * i + m] * K[3 * m + j];

        double s = Math.Sin(angle), c = Math.Cos(angle);
        double[] R = new double[9];
        for (int i = 0; i < 9; i++)
            R[i] = s * K[i] + (1 - c) * K2[i];
        R[0] += 1;
        R[4] += 1;
        R[8] += 1;

        return 2 * R[1] + R[5] - R[6] + 0.5 * (R[0] + R[4] + R[8]);
    }

    // expect: clean
    // domain: q len 4; q in (0.3, 1.5); p len 3
    [Differentiable]
    public static double QuaternionRotatePoint(double[] q, double[] p)
    {
        double norm = Math.Sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
        double w = q[0] / norm, x = q[1] / norm, y = q[2] / norm, z = q[3] / norm;

        double[] R = new double[9];
        R[0] = 1 - 2 * (y * y + z * z);
        R[1] = 2 * (x * y - w * z);
        R[2] = 2 * (x * z + w * y);
        R[3] = 2 * (x * y + w * z);
        R[4] = 1 - 2 * (x * x + z * z);
        R[5] = 2 * (y * z - w * x);
        R[6] = 2 * (x * z - w * y);
        R[7] = 2 * (y * z + w * x);
        R[8] = 1 - 2 * (x * x + y * y);

        double[] r = new double[3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                r[i] += R[3 * i + j] * p[j];

        // Project onto a fixed viewing direction.
        return 0.3 * r[0] - 0.5 * r[1] + 0.8 * r[2];
    }

    // expect: clean
    // domain: q len 4; q in (0.3, 1.5)
    [Differentiable]
    public static double QuaternionAngle(double[] q)
    {
        double vectorNorm = Math.Sqrt(q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
        return 2.0 * Math.Atan2(vectorNorm, q[0]);
    }

    // expect: clean
    // domain: q0 len 4; q0 in (0.3, 1.5); wx in (-2, 2); wy in (-2, 2); wz in (-2, 2)
    [Differentiable]
    public static double IntegrateAngularVelocity(double[] q0, double wx, double wy, double wz)
    {
        const double dt = 0.05;
        double[] q = new double[4];
        for (int i = 0; i < 4; i++)
            q[i] = q0[i];
        double[] dq = new double[4];
        for (int step = 0; step < 5; step++)
        {
            // dq/dt = 0.5 * q * (0, w)
            dq[0] = -0.5 * (q[1] * wx + q[2] * wy + q[3] * wz);
            dq[1] = 0.5 * (q[0] * wx + q[2] * wz - q[3] * wy);
            dq[2] = 0.5 * (q[0] * wy + q[3] * wx - q[1] * wz);
            dq[3] = 0.5 * (q[0] * wz + q[1] * wy - q[2] * wx);
            for (int i = 0; i < 4; i++)
                q[i] += dt * dq[i];
            double n = Math.Sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
            for (int i = 0; i < 4; i++)
                q[i] = q[i] / n;
        }
        return q[0] * q[3] + q[1];
    }

    // expect: clean
    // domain: yaw in (-3, 3); pitch in (-1.4, 1.4); roll in (-3, 3); p len 3
    [Differentiable]
    public static double EulerZyxRotate(double yaw, double pitch, double roll, double[] p)
    {
        double cy = Math.Cos(yaw), sy = Math.Sin(yaw);
        double cp = Math.Cos(pitch), sp = Math.Sin(pitch);
        double cr = Math.Cos(roll), sr = Math.Sin(roll);

        var R = new double[9];
        R[0] = cy * cp; R[1] = cy * sp * sr - sy * cr; R[2] = cy * sp * cr + sy * sr;
        R[3] = sy * cp; R[4] = sy * sp * sr + cy * cr; R[5] = sy * sp * cr - cy * sr;
        R[6] = -sp;     R[7] = cp * sr;                R[8] = cp * cr;

        var r = new double[3];
        for (int i = 0; i < 3; i++)
            r[i] = R[3 * i] * p[0] + R[3 * i + 1] * p[1] + R[3 * i + 2] * p[2];
        return r[2] + 0.5 * r[0] * r[1];
    }

    // expect: clean
    // domain: theta1 in (-3, 3); theta2 in (-3, 3); l1 in (0.5, 1.5); l2 in (0.5, 1.5); tx in (-2, 2); ty in (-2, 2)
    [Differentiable]
    public static double TwoLinkArmDistance(double theta1, double theta2, double l1, double l2, double tx, double ty)
    {
        double[] elbow = new double[2];
        elbow[0] = l1 * Math.Cos(theta1);
        elbow[1] = l1 * Math.Sin(theta1);
        double[] hand = new double[2];
        hand[0] = elbow[0] + l2 * Math.Cos(theta1 + theta2);
        hand[1] = elbow[1] + l2 * Math.Sin(theta1 + theta2);
        double dx = hand[0] - tx, dy = hand[1] - ty;
        return Math.Sqrt(dx * dx + dy * dy);
    }

    // expect: clean
    // domain: joints len 3; joints in (-1.5, 1.5); links len 3; links in (0.4, 1.2); tx in (-2, 2); ty in (-2, 2)
    [Differentiable]
    public static double ThreeLinkArmCost(double[] joints, double[] links, double tx, double ty)
    {
        double[] pos = new double[2];
        double phi = 0;
        for (int i = 0; i < 3; i++)
        {
            phi += joints[i];
            pos[0] += links[i] * Math.Cos(phi);
            pos[1] += links[i] * Math.Sin(phi);
        }
        double dx = pos[0] - tx, dy = pos[1] - ty;
        double orientationError = phi - 0.25;
        return Math.Sqrt(dx * dx + dy * dy) + 0.1 * orientationError * orientationError;
    }

    // expect: clean
    // domain: t1 in (-3, 3); t2 in (-3, 3); l1 in (0.5, 1.5); l2 in (0.5, 1.5)
    [Differentiable]
    public static double ArmJacobianDeterminant(double t1, double t2, double l1, double l2)
    {
        // J = d(x, y)/d(t1, t2), row-major 2x2.
        double[] J = new double[4];
        J[0] = -l1 * Math.Sin(t1) - l2 * Math.Sin(t1 + t2);
        J[1] = -l2 * Math.Sin(t1 + t2);
        J[2] = l1 * Math.Cos(t1) + l2 * Math.Cos(t1 + t2);
        J[3] = l2 * Math.Cos(t1 + t2);
        return J[0] * J[3] - J[1] * J[2];
    }

    // expect: clean
    // domain: p len 3; p in (0.5, 2); f in (0.8, 2); k1 in (-0.3, 0.3); k2 in (-0.1, 0.1); cx in (-0.2, 0.2); cy in (-0.2, 0.2); u in (-1, 1); v in (-1, 1)
    [Differentiable]
    public static double PinholeReprojectionError(double[] p, double f, double k1, double k2, double cx, double cy, double u, double v)
    {
        double[] normalized = new double[2];
        normalized[0] = p[0] / p[2];
        normalized[1] = p[1] / p[2];
        double r2 = normalized[0] * normalized[0] + normalized[1] * normalized[1];
        double radial = 1 + k1 * r2 + k2 * r2 * r2;

        double[] pixel = new double[2];
        pixel[0] = f * normalized[0] * radial + cx;
        pixel[1] = f * normalized[1] * radial + cy;

        double eu = pixel[0] - u, ev = pixel[1] - v;
        return eu * eu + ev * ev;
    }

    // expect: clean
    // domain: pose len 6; pose in (-0.6, 0.6); pw len 3; pw in (-1, 1)
    [Differentiable]
    public static double CameraProjectPoint(double[] pose, double[] pw)
    {
        // pose = (rotation vector, translation); camera 5 units in front of the world origin.
        double theta = Math.Sqrt(pose[0] * pose[0] + pose[1] * pose[1] + pose[2] * pose[2]);
        double[] k = { pose[0] / theta, pose[1] / theta, pose[2] / theta };
        double c = Math.Cos(theta), s = Math.Sin(theta);
        double kDotP = k[0] * pw[0] + k[1] * pw[1] + k[2] * pw[2];

        double[] pc = new double[3];
        pc[0] = pw[0] * c + (k[1] * pw[2] - k[2] * pw[1]) * s + k[0] * kDotP * (1 - c);
        pc[1] = pw[1] * c + (k[2] * pw[0] - k[0] * pw[2]) * s + k[1] * kDotP * (1 - c);
        pc[2] = pw[2] * c + (k[0] * pw[1] - k[1] * pw[0]) * s + k[2] * kDotP * (1 - c);
        for (int i = 0; i < 3; i++)
            pc[i] = pc[i] + pose[3 + i];
        pc[2] += 5.0;

        double x = pc[0] / pc[2], y = pc[1] / pc[2];
        double du = x - 0.1, dv = y + 0.2;
        return du * du + dv * dv;
    }

    // expect: clean
    // domain: state0 len 4; state0 in (0.5, 1.5); k in (1, 4); c in (0.05, 0.5); dt in (0.01, 0.05)
    [Differentiable]
    public static double SpringMassEnergy(double[] state0, double k, double c, double dt)
    {
        // A 2-D particle on a damped spring of rest length 1 anchored at the origin; state = (x, y, vx, vy).
        const double restLength = 1.0;
        double[] state = new double[4];
        for (int i = 0; i < 4; i++)
            state[i] = state0[i];

        for (int step = 0; step < 5; step++)
        {
            double len = Math.Sqrt(state[0] * state[0] + state[1] * state[1]);
            double stretch = k * (len - restLength) / len;
            double ax = -stretch * state[0] - c * state[2];
            double ay = -stretch * state[1] - c * state[3];
            // Semi-implicit Euler: velocity first, then position with the new velocity.
            state[2] += dt * ax;
            state[3] += dt * ay;
            state[0] += dt * state[2];
            state[1] += dt * state[3];
        }

        double r = Math.Sqrt(state[0] * state[0] + state[1] * state[1]);
        double kinetic = 0.5 * (state[2] * state[2] + state[3] * state[3]);
        double potential = 0.5 * k * (r - restLength) * (r - restLength);
        return kinetic + potential;
    }

    // expect: clean
    // domain: x len 3; v len 3; v in (-0.5, 0.5); k in (0.5, 3)
    [Differentiable]
    public static double SpringChainInPlace(double[] x, double[] v, double k)
    {
        // Three unit masses joined by springs of rest length 1; x and v are advanced in place.
        const double dt = 0.02;
        double[] f = new double[3];
        for (int step = 0; step < 5; step++)
        {
            for (int i = 0; i < 3; i++)
                f[i] = 0;
            for (int i = 0; i < 2; i++)
            {
                double stretch = x[i + 1] - x[i] - 1.0;
                f[i] += k * stretch;
                f[i + 1] -= k * stretch;
            }
            for (int i = 0; i < 3; i++)
            {
                v[i] = v[i] + dt * f[i];
                x[i] = x[i] + dt * v[i];
            }
        }

        double energy = 0;
        for (int i = 0; i < 3; i++)
            energy += 0.5 * v[i] * v[i];
        for (int i = 0; i < 2; i++)
        {
            double e = x[i + 1] - x[i] - 1.0;
            energy += 0.5 * k * e * e;
        }
        return energy;
    }

    // expect: clean
    // domain: p len 3; t len 3; s in (0.5, 1.5)
    [Differentiable]
    public static double RepeatedAffineInPlace(double[] p, double s, double[] t)
    {
        for (int round = 0; round < 2; round++)
            for (int i = 0; i < 3; i++)
                p[i] = p[i] * s + t[i];
        return p[0] * p[0] + p[1] * p[1] + p[2] * p[2];
    }

    // expect: clean
    // domain: u len 3; u in (0.5, 2); v len 3; d len 3
    [Differentiable]
    public static double GramSchmidtProjection(double[] u, double[] v, double[] d)
    {
        double[] e1 = new double[3];
        double lu = Math.Sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
        for (int i = 0; i < 3; i++)
            e1[i] = u[i] / lu;

        double proj = 0;
        for (int i = 0; i < 3; i++)
            proj += v[i] * e1[i];

        double[] e2 = new double[3];
        for (int i = 0; i < 3; i++)
            e2[i] = v[i] - proj * e1[i];
        double lw = Math.Sqrt(e2[0] * e2[0] + e2[1] * e2[1] + e2[2] * e2[2]);
        for (int i = 0; i < 3; i++)
            e2[i] /= lw;

        double a = 0, b = 0;
        for (int i = 0; i < 3; i++)
        {
            a += e1[i] * d[i];
            b += e2[i] * d[i];
        }
        return 0.5 * a + b;
    }

    // expect: clean
    // domain: m len 9
    [Differentiable]
    public static double Determinant3x3(double[] m)
    {
        double a = m[0], b = m[1], c = m[2];
        double d = m[3], e = m[4], f = m[5];
        double g = m[6], h = m[7], i = m[8];
        return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    }

    // expect: clean
    // domain: a len 9; lambda in (-2, 2)
    [Differentiable]
    public static double CharacteristicPolynomial(double[] a, double lambda)
    {
        // det(A - lambda I) by the rule of Sarrus, on a copy of A.
        double[] b = new double[9];
        for (int i = 0; i < 9; i++)
            b[i] = a[i];
        for (int i = 0; i < 3; i++)
            b[4 * i] = b[4 * i] - lambda;

        double det = 0;
        for (int i = 0; i < 3; i++)
        {
            det += b[i] * b[3 + (i + 1) % 3] * b[6 + (i + 2) % 3];
            det -= b[i] * b[3 + (i + 2) % 3] * b[6 + (i + 1) % 3];
        }
        return det;
    }

    // expect: clean
    // domain: a len 3; b len 3; c len 3
    [Differentiable]
    public static double TriangleArea3D(double[] a, double[] b, double[] c)
    {
        double[] e1 = new double[3], e2 = new double[3];
        for (int i = 0; i < 3; i++)
        {
            e1[i] = b[i] - a[i];
            e2[i] = c[i] - a[i];
        }
        double nx = e1[1] * e2[2] - e1[2] * e2[1];
        double ny = e1[2] * e2[0] - e1[0] * e2[2];
        double nz = e1[0] * e2[1] - e1[1] * e2[0];
        return 0.5 * Math.Sqrt(nx * nx + ny * ny + nz * nz);
    }

    // expect: clean
    // domain: p len 2; p in (-0.5, 0.5); ax in (-2, -1); ay in (-2, -1); bx in (1, 2); by in (-2, -1); cx in (-0.5, 0.5); cy in (1, 2); values len 3
    [Differentiable]
    public static double BarycentricInterpolate(double[] p, double ax, double ay, double bx, double by, double cx, double cy, double[] values)
    {
        double[] v0 = { bx - ax, by - ay };
        double[] v1 = { cx - ax, cy - ay };
        double[] v2 = { p[0] - ax, p[1] - ay };
        double d00 = v0[0] * v0[0] + v0[1] * v0[1];
        double d01 = v0[0] * v1[0] + v0[1] * v1[1];
        double d11 = v1[0] * v1[0] + v1[1] * v1[1];
        double d20 = v2[0] * v0[0] + v2[1] * v0[1];
        double d21 = v2[0] * v1[0] + v2[1] * v1[1];
        double denom = d00 * d11 - d01 * d01;

        double[] bary = new double[3];
        bary[1] = (d11 * d20 - d01 * d21) / denom;
        bary[2] = (d00 * d21 - d01 * d20) / denom;
        bary[0] = 1.0 - bary[1] - bary[2];

        double result = 0;
        for (int i = 0; i < 3; i++)
            result += bary[i] * values[i];
        return result;
    }

    // expect: ADIFF014
    // domain: x0 len 2; x0 in (0.5, 1.5); k in (1, 4)
    [Differentiable]
    public static double SpringStepsWithScratchInLoop(double[] x0, double k)
    {
        const double dt = 0.05;
        double[] x = new double[2];
        double[] v = new double[2];
        x[0] = x0[0];
        x[1] = x0[1];
        for (int step = 0; step < 5; step++)
        {
            // A fresh force vector per step, the way a physics loop is often written.
            double[] force = new double[2];
            force[0] = -k * x[0];
            force[1] = -k * x[1];
            for (int i = 0; i < 2; i++)
            {
                v[i] += dt * force[i];
                x[i] += dt * v[i];
            }
        }
        return x[0] * x[0] + x[1] * x[1];
    }

    // expect: ADIFF014
    // domain: p len 3; s in (0.5, 1.5)
    [Differentiable]
    public static double PingPongRotations(double[] p, double s)
    {
        // Repeatedly rotate about z by angle s, swapping the read and write buffers.
        double[] current = new double[3];
        double[] next = new double[3];
        for (int i = 0; i < 3; i++)
            current[i] = p[i];
        double c = Math.Cos(s), sn = Math.Sin(s);
        for (int step = 0; step < 3; step++)
        {
            next[0] = c * current[0] - sn * current[1];
            next[1] = sn * current[0] + c * current[1];
            next[2] = current[2];
            double[] tmp = current;
            current = next;
            next = tmp;
        }
        return current[0] + 2 * current[1] + 3 * current[2];
    }
}
