using System;
using Autodiff;

namespace Corpus.Geometry;

/// <summary>A 2-vector as every geometry library writes one.</summary>
public readonly struct Vec2
{
    public Vec2(double x, double y)
    {
        X = x;
        Y = y;
    }

    public double X { get; }
    public double Y { get; }

    public double Length => Math.Sqrt(X * X + Y * Y);
    public double LengthSquared => X * X + Y * Y;

    public static Vec2 operator +(Vec2 a, Vec2 b) => new(a.X + b.X, a.Y + b.Y);
    public static Vec2 operator -(Vec2 a, Vec2 b) => new(a.X - b.X, a.Y - b.Y);
    public static Vec2 operator *(double s, Vec2 v) => new(s * v.X, s * v.Y);
    public static Vec2 operator -(Vec2 v) => new(-v.X, -v.Y);

    public static double Dot(Vec2 a, Vec2 b) => a.X * b.X + a.Y * b.Y;
    public static double Cross(Vec2 a, Vec2 b) => a.X * b.Y - a.Y * b.X;

    public Vec2 Normalized() => (1 / Length) * this;
    public Vec2 Rotated(double angle) => new(X * Math.Cos(angle) - Y * Math.Sin(angle), X * Math.Sin(angle) + Y * Math.Cos(angle));

    public static readonly Vec2 UnitX = new(1, 0);
}

/// <summary>A mutable 3-vector with public fields, the other common style.</summary>
public struct Vec3
{
    public double X, Y, Z;

    public Vec3(double x, double y, double z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public static Vec3 operator +(Vec3 a, Vec3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
    public static Vec3 operator *(Vec3 a, double s) => new(a.X * s, a.Y * s, a.Z * s);
    public double Dot(Vec3 o) => X * o.X + Y * o.Y + Z * o.Z;
}

/// <summary>Geometry over user structs, and the same computations on plain doubles.</summary>
public static partial class Shapes
{
    private const double Degrees = 180.0 / Math.PI;
    private static readonly Vec2 Origin = new(0, 0);
    private static readonly Vec2 Anchor = new(1.5, -0.5);

    // expect: ADIFF004
    [Differentiable]
    public static double Norm(double x, double y) => new Vec2(x, y).Length;

    // expect: clean
    [Differentiable]
    public static double NormByHand(double x, double y) => Math.Sqrt(x * x + y * y);

    // expect: ADIFF004
    [Differentiable]
    public static double DistanceToAnchor(double x, double y)
    {
        var p = new Vec2(x, y);
        return (p - Anchor).Length;
    }

    // expect: ADIFF004
    [Differentiable]
    public static double DotOfSums(double a, double b, double c, double d)
    {
        var u = new Vec2(a, b) + new Vec2(c, d);
        return Vec2.Dot(u, Vec2.UnitX) + u.Y;
    }

    // expect: ADIFF004
    [Differentiable]
    public static double TriangleArea(double ax, double ay, double bx, double by, double cx, double cy)
    {
        Vec2 ab = new Vec2(bx, by) - new Vec2(ax, ay);
        Vec2 ac = new Vec2(cx, cy) - new Vec2(ax, ay);
        return 0.5 * Math.Abs(Vec2.Cross(ab, ac));
    }

    // expect: clean
    [Differentiable]
    public static double TriangleAreaByHand(double ax, double ay, double bx, double by, double cx, double cy) =>
        0.5 * Math.Abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));

    // expect: ADIFF004
    [Differentiable]
    public static double RotatedX(double x, double y, double angle) => new Vec2(x, y).Rotated(angle).X;

    // expect: ADIFF004
    [Differentiable]
    public static double ScaledLengthSquared(double s) => (s * Anchor).LengthSquared;

    // expect: ADIFF004
    [Differentiable]
    public static double NormalizedY(double x, double y) => new Vec2(x, y).Normalized().Y;

    // expect: ADIFF004
    [Differentiable]
    public static double NegatedDot(double x, double y) => Vec2.Dot(-new Vec2(x, y), Anchor);

    // expect: ADIFF003
    [Differentiable]
    public static double LengthOf(Vec2 v) => v.Length;

    // expect: ADIFF003
    [Differentiable]
    public static double DotOf(Vec2 a, Vec2 b) => a.X * b.X + a.Y * b.Y;

    // expect: ADIFF003
    [Differentiable]
    public static double Vec3Norm(Vec3 v) => Math.Sqrt(v.X * v.X + v.Y * v.Y + v.Z * v.Z);

    // expect: clean
    [Differentiable]
    public static double ScaledByConstantLength(double s) => s * Anchor.Length;

    // expect: clean
    [Differentiable]
    public static double ScaledByConstantVector(double s)
    {
        var v = new Vec2(3, 4);
        return s * v.Length + Vec2.Dot(v, Vec2.UnitX);
    }

    // expect: clean
    [Differentiable]
    public static double InsideUnitCircleOrNot(double x, double y)
    {
        // The vector only decides a branch: the result does not go through it.
        var p = new Vec2(x, y);
        if (p.LengthSquared < 1) return x * x + y * y;
        return Math.Sqrt(x * x + y * y);
    }

    // expect: clean
    [Differentiable]
    public static double StructPrintedOnly(double x, double y)
    {
        var p = new Vec2(x, y);
        Console.WriteLine($"p = ({p.X}, {p.Y})");
        return x * y;
    }

    // expect: ADIFF004
    [Differentiable]
    public static double Vec3FieldsDot(double x, double y, double z)
    {
        var v = new Vec3(x, y, z);
        var w = v + new Vec3(1, 2, 3);
        return v.Dot(w);
    }

    // expect: ADIFF004|ADIFF005
    [Differentiable]
    public static double Vec3FieldWrite(double x)
    {
        Vec3 v = default;
        v.X = x;
        v.Y = 2 * x;
        return v.X * v.Y;
    }

    // expect: ADIFF004
    [Differentiable]
    public static double Vec3Scaled(double x, double s) => (new Vec3(x, 1, 2) * s).Z;

    // expect: clean
    // domain: x in (-3, 3); y in (0.2, 3)
    [Differentiable]
    public static double AngleDegrees(double x, double y) => Math.Atan2(y, x) * Degrees;

    // expect: clean
    [Differentiable]
    public static double DistancePointToLine(double px, double py, double ax, double ay, double bx, double by)
    {
        double dx = bx - ax, dy = by - ay;
        double len = Math.Sqrt(dx * dx + dy * dy);
        if (len < 1e-12) return Math.Sqrt((px - ax) * (px - ax) + (py - ay) * (py - ay));
        return Math.Abs(dy * px - dx * py + bx * ay - by * ax) / len;
    }

    // expect: clean
    [Differentiable]
    public static double DistancePointToSegment(double px, double py, double ax, double ay, double bx, double by)
    {
        double dx = bx - ax, dy = by - ay;
        double t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);
        t = Math.Clamp(t, 0, 1);
        double qx = ax + t * dx - px, qy = ay + t * dy - py;
        return Math.Sqrt(qx * qx + qy * qy);
    }

    // expect: clean
    // domain: xs len 5; ys len 5
    [Differentiable]
    public static double PolygonArea(double[] xs, double[] ys)
    {
        // Shoelace formula.
        double a = 0;
        int n = xs.Length;
        for (int i = 0; i < n; i++)
        {
            int j = (i + 1) % n;
            a += xs[i] * ys[j] - xs[j] * ys[i];
        }
        return 0.5 * a;
    }

    // expect: clean
    // domain: xs len 5; ys len 5
    [Differentiable]
    public static double PolylineLength(double[] xs, double[] ys)
    {
        double total = 0;
        for (int i = 1; i < xs.Length; i++)
        {
            double dx = xs[i] - xs[i - 1], dy = ys[i] - ys[i - 1];
            total += Math.Sqrt(dx * dx + dy * dy);
        }
        return total;
    }

    // expect: clean
    // domain: xs len 4; ys len 4
    [Differentiable]
    public static double CentroidX(double[] xs, double[] ys)
    {
        double area = 0, cx = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            int j = i == xs.Length - 1 ? 0 : i + 1;
            double cross = xs[i] * ys[j] - xs[j] * ys[i];
            area += cross;
            cx += (xs[i] + xs[j]) * cross;
        }
        return cx / (3 * area);
    }

    // expect: clean
    // domain: lat1 in (-1, 1); lon1 in (-2, 2); lat2 in (-1, 1); lon2 in (-2, 2)
    [Differentiable]
    public static double Haversine(double lat1, double lon1, double lat2, double lon2)
    {
        const double radius = 6371.0;
        double dLat = lat2 - lat1, dLon = lon2 - lon1;
        double a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(lat1) * Math.Cos(lat2) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * radius * Math.Asin(Math.Sqrt(a));
    }

    // expect: clean
    // domain: r in (0.5, 3)
    [Differentiable]
    public static double SphereVolume(double r) => 4.0 / 3.0 * Math.PI * r * r * r;

    // expect: clean
    // domain: a in (1, 3); b in (1, 3); c in (1, 3)
    [Differentiable]
    public static double HeronArea(double a, double b, double c)
    {
        double s = (a + b + c) / 2;
        double q = s * (s - a) * (s - b) * (s - c);
        return q <= 0 ? 0 : Math.Sqrt(q);
    }

    // expect: clean
    // domain: ax in (-1, 1); ay in (-1, 1); bx in (1.5, 2); by in (1.5, 2)
    [Differentiable]
    public static double AngleBetween(double ax, double ay, double bx, double by)
    {
        double dot = ax * bx + ay * by;
        double na = Math.Sqrt(ax * ax + ay * ay), nb = Math.Sqrt(bx * bx + by * by);
        double c = Math.Clamp(dot / (na * nb), -1.0, 1.0);
        return Math.Acos(c);
    }

    // expect: ADIFF004
    [Differentiable]
    public static double ProjectionLength(double x, double y)
    {
        Vec2 v = new(x, y);
        Vec2 axis = new Vec2(1, 1).Normalized();
        return Vec2.Dot(v, axis);
    }

    // expect: ADIFF004
    // domain: n = 4
    [Differentiable]
    public static double RegularPolygonPerimeter(double radius, int n)
    {
        Vec2 previous = radius * Vec2.UnitX;
        double total = 0;
        for (int k = 1; k <= n; k++)
        {
            Vec2 next = previous.Rotated(2 * Math.PI / n);
            total += (next - previous).Length;
            previous = next;
        }
        return total;
    }

    // expect: clean
    // domain: radius in (0.5, 3); n = 6
    [Differentiable]
    public static double RegularPolygonPerimeterByHand(double radius, int n) => 2 * n * radius * Math.Sin(Math.PI / n);

    // expect: clean
    [Differentiable]
    public static double OriginDistanceSquared(double x, double y) => (x - Origin.X) * (x - Origin.X) + (y - Origin.Y) * (y - Origin.Y);
}
