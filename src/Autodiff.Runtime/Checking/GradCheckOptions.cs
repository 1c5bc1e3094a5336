using System;

namespace Autodiff;

/// <summary>
/// How <see cref="GradCheck"/> compares a gradient with central differences: the step, the
/// tolerances, and whether to check every element or random directions (fast mode).
/// </summary>
/// <remarks>
/// An element passes when |analytic − numeric| ≤ <see cref="AbsoluteTolerance"/> +
/// <see cref="RelativeTolerance"/> · |numeric|, as in <c>torch.autograd.gradcheck</c>.
/// <see cref="ForDouble"/> holds gradcheck's defaults; <see cref="ForFloat"/> holds the defaults
/// for functions and models computed in float32, whose rounding (about 6e-8 of the value) divided
/// by a step of 1e-6 would swamp any gradient. Derive variations with <c>with</c>:
/// <c>GradCheckOptions.ForFloat with { FastMode = true }</c>.
/// </remarks>
public sealed record GradCheckOptions
{
    /// <summary>gradcheck's defaults for double precision: eps 1e-6, atol 1e-5, rtol 1e-3.</summary>
    public static GradCheckOptions ForDouble { get; } = new();

    /// <summary>
    /// The defaults for float32 functions and tensor models: eps 1e-3, atol 1e-2, rtol 1e-2.
    /// </summary>
    /// <remarks>
    /// The step balances the two errors of a central difference in float: rounding of the
    /// function value (a few float epsilons of |f|, divided by 2·eps: about 1e-4 for |f| near 1)
    /// and truncation (eps² · f‴ / 6: about 2e-7 · f‴). The tolerances sit two orders of magnitude
    /// above that noise, so a correct float gradient passes, while a wrong element (a flipped sign,
    /// a factor of two, a missing term) of a gradient of order one does not.
    /// </remarks>
    public static GradCheckOptions ForFloat { get; } = new() { Eps = 1e-3, AbsoluteTolerance = 1e-2, RelativeTolerance = 1e-2 };

    /// <summary>The perturbation h of the central difference (f(x + h) − f(x − h)) / 2h (gradcheck's <c>eps</c>).</summary>
    public double Eps { get; init; } = 1e-6;

    /// <summary>The absolute part of the allowed error (gradcheck's <c>atol</c>).</summary>
    public double AbsoluteTolerance { get; init; } = 1e-5;

    /// <summary>The part of the allowed error proportional to |numeric| (gradcheck's <c>rtol</c>).</summary>
    public double RelativeTolerance { get; init; } = 1e-3;

    /// <summary>
    /// Instead of every element, compare the directional derivative along <see cref="Directions"/>
    /// random unit vectors u (and random unit output weightings v for vector outputs): vᵀJu from
    /// two function evaluations against the same product from the gradient. gradcheck's
    /// <c>fast_mode</c>; for inputs too large to perturb one element at a time. Along a random
    /// unit direction through n elements the derivative is only about |∇f|/√n, so for a large
    /// model lower <see cref="AbsoluteTolerance"/> towards what the loss's rounding resolves.
    /// </summary>
    public bool FastMode { get; init; }

    /// <summary>How many random directions fast mode checks (default 4).</summary>
    public int Directions { get; init; } = 4;

    /// <summary>The seed of fast mode's random directions; the same seed gives the same directions on every platform.</summary>
    public int Seed { get; init; }

    /// <summary>Throws if a setting makes no sense, naming it.</summary>
    internal void Validate()
    {
        if (!(Eps > 0 && double.IsFinite(Eps)))
        {
            throw new ArgumentOutOfRangeException(nameof(Eps), Eps, "GradCheck: Eps must be a positive finite step.");
        }
        if (!(AbsoluteTolerance >= 0 && double.IsFinite(AbsoluteTolerance)))
        {
            throw new ArgumentOutOfRangeException(nameof(AbsoluteTolerance), AbsoluteTolerance, "GradCheck: AbsoluteTolerance must be finite and not negative.");
        }
        if (!(RelativeTolerance >= 0 && double.IsFinite(RelativeTolerance)))
        {
            throw new ArgumentOutOfRangeException(nameof(RelativeTolerance), RelativeTolerance, "GradCheck: RelativeTolerance must be finite and not negative.");
        }
        if (FastMode && Directions < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Directions), Directions, "GradCheck: fast mode needs at least one direction.");
        }
    }

    /// <summary>The error allowed where the central difference is <paramref name="numeric"/>.</summary>
    internal double Allowed(double numeric) => AbsoluteTolerance + RelativeTolerance * Math.Abs(numeric);
}
