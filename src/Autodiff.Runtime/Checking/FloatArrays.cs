namespace Autodiff;

/// <summary>Float arrays to and from the double arrays the checks compute with.</summary>
internal static class FloatArrays
{
    /// <summary>Widens to double; null stays null, for <see cref="Returned.RequireInputs"/> and <see cref="Returned.RequireOutputs"/> to report with the delegate's name.</summary>
    public static double[]? ToDouble(float[]? values)
    {
        if (values is null)
        {
            return null;
        }
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }
        return result;
    }

    public static float[] ToFloat(double[] values)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = (float)values[i];
        }
        return result;
    }
}
