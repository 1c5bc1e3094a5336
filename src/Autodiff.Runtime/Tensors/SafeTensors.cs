using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Autodiff.Optimizers;

namespace Autodiff;

/// <summary>
/// Weights in the safetensors format, the one PyTorch and Hugging Face share: 8 bytes giving the
/// header's length (little-endian), a JSON header naming each tensor's dtype, shape and byte range,
/// then the raw little-endian data. Files written here load in PyTorch
/// (<c>safetensors.torch.load_file</c>), and files PyTorch writes load here.
/// </summary>
/// <remarks>
/// Tensors here are float32, so they are written as F32. Reading also takes F64, F16 and BF16 tensors,
/// converted to float32 (F64 rounds to nearest). A malformed file is refused with an
/// <see cref="InvalidDataException"/> that names the file and what is wrong; nothing is half-loaded.
/// </remarks>
public static class SafeTensors
{
    // The reference implementation refuses headers over 100 MB: a corrupt length is not an allocation request.
    private const long MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    /// <summary>Writes the tensors under their names, with optional string metadata.</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream stream = File.Create(path);
        Save(stream, tensors, metadata);
    }

    /// <inheritdoc cref="Save(string, IEnumerable{KeyValuePair{string, Tensor}}, IReadOnlyDictionary{string, string})"/>
    public static void Save(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        List<KeyValuePair<string, Tensor>> list = tensors.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, Tensor tensor) in list)
        {
            ArgumentNullException.ThrowIfNull(tensor, name);
            if (string.IsNullOrEmpty(name) || name == MetadataKey || !names.Add(name))
            {
                throw new ArgumentException($"SafeTensors.Save: the tensor name '{name}' is empty, reserved or given twice; each tensor needs a name of its own.", nameof(tensors));
            }
        }

        var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach ((string key, string value) in metadata)
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach ((string name, Tensor tensor) in list)
            {
                long bytes = (long)tensor.Length * sizeof(float);
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int dimension in tensor.Shape)
                {
                    json.WriteNumberValue(dimension);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        // The data starts on an 8-byte boundary: the header is padded with spaces, as the format allows.
        int padding = (int)((8 - header.Length % 8) % 8);
        for (int i = 0; i < padding; i++)
        {
            header.WriteByte((byte)' ');
        }
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        header.Position = 0;
        header.CopyTo(stream);
        foreach ((string _, Tensor tensor) in list)
        {
            WriteLittleEndian(stream, tensor.AsReadOnlySpan());
        }
    }

    /// <summary>Writes a model's tensor parameters under their names (<c>Gradients.Parameters</c>); scalar parameters are written as rank-0 tensors.</summary>
    public static void Save(string path, IEnumerable<ParameterGradient> parameters, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Save(path, parameters.Select(p => new KeyValuePair<string, Tensor>(p.Name, p.IsScalar ? Tensor.Scalar((float)p.ScalarValue) : p.Parameter)).ToList(), metadata);
    }

    /// <summary>Reads every tensor of the file, by name.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Reads every tensor of a safetensors stream, by name.</summary>
    /// <param name="stream">The stream, read from its current position to the end of the last tensor.</param>
    /// <param name="source">A name for the stream in error messages.</param>
    public static Dictionary<string, Tensor> Load(Stream stream, string source = "the stream") => Read(stream, source, out _);

    /// <summary>The file's string metadata (<c>__metadata__</c>), empty when it has none.</summary>
    public static Dictionary<string, string> Metadata(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream stream = File.OpenRead(path);
        Read(stream, path, out Dictionary<string, string> metadata);
        return metadata;
    }

    /// <summary>
    /// Copies the file's tensors into a model's parameters, matched by name, as PyTorch's strict
    /// <c>load_state_dict</c> does: every parameter must be in the file with its shape, and the file
    /// must hold nothing else. The parameters are changed only when all of them match.
    /// </summary>
    public static void LoadInto(string path, IEnumerable<ParameterGradient> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Dictionary<string, Tensor> loaded = Load(path);
        List<ParameterGradient> list = parameters.ToList();
        var problems = new List<string>();
        foreach (ParameterGradient parameter in list)
        {
            if (!loaded.TryGetValue(parameter.Name, out Tensor? tensor))
            {
                problems.Add($"'{parameter.Name}' is missing");
                continue;
            }
            ReadOnlySpan<int> expected = parameter.IsScalar ? ReadOnlySpan<int>.Empty : parameter.Parameter.Shape;
            if (!tensor.Shape.SequenceEqual(expected))
            {
                problems.Add($"'{parameter.Name}' has shape [{string.Join(", ", tensor.Shape.ToArray())}] in the file but [{string.Join(", ", expected.ToArray())}] in the model");
            }
        }
        var known = new HashSet<string>(list.Select(p => p.Name), StringComparer.Ordinal);
        problems.AddRange(loaded.Keys.Where(name => !known.Contains(name)).OrderBy(n => n, StringComparer.Ordinal).Select(name => $"'{name}' is not a parameter of the model"));
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"SafeTensors.LoadInto: {path} does not match the model: {string.Join("; ", problems)}. Nothing was loaded.");
        }
        foreach (ParameterGradient parameter in list)
        {
            if (parameter.IsScalar)
            {
                parameter.ScalarValue = loaded[parameter.Name].AsReadOnlySpan()[0];
            }
            else
            {
                parameter.Parameter.CopyFrom(loaded[parameter.Name]);
            }
        }
    }

    private static Dictionary<string, Tensor> Read(Stream stream, string source, out Dictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(stream);
        InvalidDataException Bad(string why) => new($"SafeTensors: {source} is not a valid safetensors file: {why}.");

        Span<byte> lengthBytes = stackalloc byte[8];
        if (!TryReadExactly(stream, lengthBytes))
        {
            throw Bad("it is shorter than the 8 bytes that give the header's length");
        }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength == 0 || headerLength > MaxHeaderBytes)
        {
            throw Bad($"its header length is {headerLength} bytes (at most {MaxHeaderBytes:N0} are allowed)");
        }
        byte[] header = new byte[headerLength];
        if (!TryReadExactly(stream, header))
        {
            throw Bad($"it ends inside its {headerLength}-byte header");
        }
        var entries = new List<(string Name, string DType, int[] Shape, long Begin, long End)>();
        metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using JsonDocument document = JsonDocument.Parse(Encoding.UTF8.GetString(header).TrimEnd(' '));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Bad("its header is not a JSON object");
            }
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    foreach (JsonProperty item in property.Value.EnumerateObject())
                    {
                        metadata[item.Name] = item.Value.GetString() ?? string.Empty;
                    }
                    continue;
                }
                JsonElement entry = property.Value;
                string dtype = entry.GetProperty("dtype").GetString() ?? string.Empty;
                int[] shape = entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
                long[] offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64()).ToArray();
                if (offsets.Length != 2 || shape.Any(d => d < 0))
                {
                    throw Bad($"tensor '{property.Name}' has a malformed shape or data_offsets");
                }
                entries.Add((property.Name, dtype, shape, offsets[0], offsets[1]));
            }
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Bad("its header is not the JSON the format describes (" + exception.Message + ")");
        }

        // The tensors' byte ranges must tile the data exactly, as the reference implementation checks.
        entries.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        long expectedBegin = 0;
        foreach ((string name, string dtype, int[] shape, long begin, long end) in entries)
        {
            int width = ElementBytes(dtype) ?? throw Bad($"tensor '{name}' has dtype {dtype}; F32, F64, F16 and BF16 can be read");
            long elements = shape.Aggregate(1L, (product, d) => product * d);
            if (begin != expectedBegin || end - begin != elements * width)
            {
                throw Bad($"tensor '{name}' ({dtype}, shape [{string.Join(", ", shape)}]) has data_offsets [{begin}, {end}], which do not follow the previous tensor or do not hold {elements} elements of {width} bytes");
            }
            expectedBegin = end;
        }

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach ((string name, string dtype, int[] shape, long begin, long end) in entries)
        {
            byte[] data = new byte[end - begin];
            if (!TryReadExactly(stream, data))
            {
                throw Bad($"it ends inside the data of tensor '{name}'");
            }
            float[] values = Decode(dtype, data);
            tensors[name] = shape.Length == 0 ? Tensor.Scalar(values[0]) : Tensor.FromArray(values, shape);
        }
        return tensors;
    }

    private static int? ElementBytes(string dtype) => dtype switch
    {
        "F32" => 4,
        "F64" => 8,
        "F16" or "BF16" => 2,
        _ => null,
    };

    private static float[] Decode(string dtype, byte[] data)
    {
        int width = ElementBytes(dtype)!.Value;
        var values = new float[data.Length / width];
        for (int i = 0; i < values.Length; i++)
        {
            ReadOnlySpan<byte> bytes = data.AsSpan(i * width, width);
            values[i] = dtype switch
            {
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(bytes),
                "F64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes),
                "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes),
                // bfloat16 is the top half of a float32.
                _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes) << 16),
            };
        }
        return values;
    }

    private static void WriteLittleEndian(Stream stream, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        Span<byte> bytes = stackalloc byte[4];
        foreach (float value in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
            stream.Write(bytes);
        }
    }

    private static bool TryReadExactly(Stream stream, Span<byte> buffer)
    {
        try
        {
            stream.ReadExactly(buffer);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }
}
