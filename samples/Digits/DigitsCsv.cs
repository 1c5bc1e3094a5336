using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using Autodiff;

namespace Digits;

/// <summary>Reads the gzipped UCI digits file: per line, 64 pixel counts (0..16) and then the label (0..9).</summary>
public static class DigitsCsv
{
    /// <summary>Pixels per image (8×8) and the classes (digits 0 to 9) of the data set.</summary>
    public const int Pixels = 64;

    /// <inheritdoc cref="Pixels"/>
    public const int Classes = 10;

    private const int MaxPixelCount = 16;

    public static LabelledImages Read(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var pixels = new List<float>();
        var labels = new List<int>();
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            string[] fields = line.Split(',');
            if (fields.Length != Pixels + 1)
            {
                throw new InvalidDataException($"{path}, line {lineNumber}: expected {Pixels + 1} values, found {fields.Length}.");
            }
            for (int i = 0; i < Pixels; i++)
            {
                pixels.Add(ParseInRange(fields[i], MaxPixelCount, path, lineNumber));
            }
            labels.Add(ParseInRange(fields[^1], Classes - 1, path, lineNumber));
        }
        return new LabelledImages(Tensor.FromArray(pixels.ToArray(), labels.Count, Pixels), labels.ToArray());
    }

    private static int ParseInRange(string field, int max, string path, int lineNumber)
    {
        if (!int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > max)
        {
            throw new InvalidDataException($"{path}, line {lineNumber}: '{field}' is not an integer in 0..{max}.");
        }
        return value;
    }
}
