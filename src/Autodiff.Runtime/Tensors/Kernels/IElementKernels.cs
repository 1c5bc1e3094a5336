using System.Runtime.Intrinsics;

namespace Autodiff;

// An element-wise formula written once for each width: 512-bit and 256-bit vectors, and a scalar
// for the tail. Kernels are structs holding their constants, so the generic loops in
// ElementwiseLoop are specialised and inlined per kernel, with no delegate and no allocation.

/// <summary>f(x), element-wise.</summary>
internal interface IUnaryKernel
{
    float Apply(float x);
    Vector256<float> Apply(Vector256<float> x);
    Vector512<float> Apply(Vector512<float> x);
}

/// <summary>f(x, y), element-wise.</summary>
internal interface IBinaryKernel
{
    float Apply(float x, float y);
    Vector256<float> Apply(Vector256<float> x, Vector256<float> y);
    Vector512<float> Apply(Vector512<float> x, Vector512<float> y);
}

/// <summary>f(x, y, z), element-wise.</summary>
internal interface ITernaryKernel
{
    float Apply(float x, float y, float z);
    Vector256<float> Apply(Vector256<float> x, Vector256<float> y, Vector256<float> z);
    Vector512<float> Apply(Vector512<float> x, Vector512<float> y, Vector512<float> z);
}

/// <summary>f(x, y, z, w), element-wise.</summary>
internal interface IQuaternaryKernel
{
    float Apply(float x, float y, float z, float w);
    Vector256<float> Apply(Vector256<float> x, Vector256<float> y, Vector256<float> z, Vector256<float> w);
    Vector512<float> Apply(Vector512<float> x, Vector512<float> y, Vector512<float> z, Vector512<float> w);
}
