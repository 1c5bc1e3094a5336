namespace Autodiff.Generator.Testing;

/// <summary>
/// Lets the tests make the middle end throw on a chosen method, to check that an internal failure
/// becomes diagnostic ADIFF012 instead of an exception escaping the generator. Never set in production.
/// </summary>
internal static class FaultInjection
{
    public static string? ThrowOnMethod { get; set; }

    public static void Check(string method)
    {
        if (ThrowOnMethod is { } name && name == method)
        {
            throw new System.InvalidOperationException("injected fault");
        }
    }
}
