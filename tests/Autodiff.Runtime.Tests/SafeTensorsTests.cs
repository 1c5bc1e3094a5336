using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Autodiff.Optimizers;
using Xunit;

namespace Autodiff.Runtime.Tests;

/// <summary>
/// The safetensors reader and writer, checked against the format's definition byte by byte (files
/// built here by hand, not by the writer under test), and for the errors a malformed file gets.
/// </summary>
public class SafeTensorsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("autodiff-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static Tensor Ramp(params int[] shape)
    {
        int length = shape.Aggregate(1, (a, b) => a * b);
        return Tensor.FromArray(Enumerable.Range(0, length).Select(i => i * 0.25f - 3.5f).ToArray(), shape);
    }

    [Fact]
    public void Tensors_and_metadata_come_back_as_they_were_written()
    {
        var tensors = new Dictionary<string, Tensor>
        {
            ["embedding.weight"] = Ramp(5, 3),
            ["blocks.0.attn.bias"] = Ramp(4),
            ["conv.kernel"] = Ramp(2, 1, 3, 3),
            ["scale"] = Tensor.Scalar(-0.75f),
            ["empty"] = Tensor.Zeros(0, 3),
        };
        string path = PathOf("model.safetensors");
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode" });

        Dictionary<string, Tensor> loaded = SafeTensors.Load(path);
        Assert.Equal(tensors.Keys.OrderBy(k => k), loaded.Keys.OrderBy(k => k));
        foreach ((string name, Tensor tensor) in tensors)
        {
            Assert.Equal(tensor.Shape.ToArray(), loaded[name].Shape.ToArray());
            Assert.Equal(tensor.ToArray(), loaded[name].ToArray());
        }
        Assert.Equal("ünïcode", SafeTensors.Metadata(path)["note"]);
    }

    /// <summary>The layout the format defines: a little-endian u64 header length, a JSON header padded to 8 bytes, then the data in order.</summary>
    [Fact]
    public void The_file_has_the_layout_the_format_defines()
    {
        string path = PathOf("layout.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["a"] = Tensor.FromArray(new[] { 1f, 2f }), ["b"] = Tensor.FromArray(new[] { 3f }, 1, 1) });
        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + headerLength) % 8);
        using JsonDocument header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength).TrimEnd(' '));
        JsonElement b = header.RootElement.GetProperty("b");
        Assert.Equal("F32", b.GetProperty("dtype").GetString());
        Assert.Equal(new[] { 1, 1 }, b.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(new long[] { 8, 12 }, b.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        ReadOnlySpan<byte> data = bytes.AsSpan(8 + (int)headerLength);
        Assert.Equal(12, data.Length);
        Assert.Equal(3f, BinaryPrimitives.ReadSingleLittleEndian(data.Slice(8)));
    }

    /// <summary>Builds a file by hand: header entries in the order given, data as given.</summary>
    private string HandMade(string name, string header, byte[] data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        byte[] file = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        string path = PathOf(name);
        File.WriteAllBytes(path, file);
        return path;
    }

    [Fact]
    public void Double_half_and_bfloat16_tensors_are_read_as_float()
    {
        var data = new List<byte>();
        foreach (double value in new[] { 1.5, -2.25 })
        {
            data.AddRange(BitConverter.GetBytes(value));
        }
        foreach (float value in new[] { 0.5f, 3f })
        {
            data.AddRange(BitConverter.GetBytes((Half)value));
        }
        foreach (float value in new[] { -1f, 256f })
        {
            data.AddRange(BitConverter.GetBytes((ushort)(BitConverter.SingleToInt32Bits(value) >> 16)));
        }
        string path = HandMade("mixed.safetensors",
            """{"d":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},"h":{"dtype":"F16","shape":[2],"data_offsets":[16,20]},"b":{"dtype":"BF16","shape":[1,2],"data_offsets":[20,24]}}""",
            data.ToArray());
        Dictionary<string, Tensor> loaded = SafeTensors.Load(path);
        Assert.Equal(new[] { 1.5f, -2.25f }, loaded["d"].ToArray());
        Assert.Equal(new[] { 0.5f, 3f }, loaded["h"].ToArray());
        Assert.Equal(new[] { -1f, 256f }, loaded["b"].ToArray());
        Assert.Equal(new[] { 1, 2 }, loaded["b"].Shape.ToArray());
    }

    [Theory]
    [InlineData("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}""", 8, "do not follow the previous tensor or do not hold 2 elements of 4 bytes")]
    [InlineData("""{"x":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}""", 8, "tensor 'x' has dtype I64; F32, F64, F16 and BF16 can be read")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 4, "it ends inside the data of tensor 'x'")]
    [InlineData("""{"x":{"dtype":"F32","shape":[1]}}""", 4, "its header is not the JSON the format describes")]
    [InlineData("""[1, 2]""", 0, "its header is not a JSON object")]
    public void A_malformed_file_is_refused_with_its_name_and_the_reason(string header, int dataBytes, string reason)
    {
        string path = HandMade("bad.safetensors", header, new byte[dataBytes]);
        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_file_too_short_for_its_header_is_refused()
    {
        string path = PathOf("short.safetensors");
        File.WriteAllBytes(path, new byte[] { 200, 0, 0, 0, 0, 0, 0, 0, (byte)'{' });
        Assert.Contains("it ends inside its 200-byte header", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path)).Message);
        File.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        Assert.Contains("shorter than the 8 bytes", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path)).Message);
    }

    [Fact]
    public void Names_must_be_distinct_and_not_reserved()
    {
        var duplicate = new[] { KeyValuePair.Create("w", Ramp(2)), KeyValuePair.Create("w", Ramp(2)) };
        Assert.Contains("'w' is empty, reserved or given twice", Assert.Throws<ArgumentException>(() => SafeTensors.Save(PathOf("d.safetensors"), duplicate)).Message);
        var reserved = new[] { KeyValuePair.Create("__metadata__", Ramp(2)) };
        Assert.Throws<ArgumentException>(() => SafeTensors.Save(PathOf("r.safetensors"), reserved));
    }

    private static List<ParameterGradient> Parameters(Tensor w, Tensor b) =>
        new() { new ParameterGradient("layer.W", w, Tensor.ZerosLike(w)), new ParameterGradient("layer.b", b, Tensor.ZerosLike(b)) };

    [Fact]
    public void Parameters_round_trip_into_a_model_by_name()
    {
        string path = PathOf("params.safetensors");
        SafeTensors.Save(path, Parameters(Ramp(3, 2), Ramp(2)));
        Tensor w = Tensor.Zeros(3, 2), b = Tensor.Zeros(2);
        SafeTensors.LoadInto(path, Parameters(w, b));
        Assert.Equal(Ramp(3, 2).ToArray(), w.ToArray());
        Assert.Equal(Ramp(2).ToArray(), b.ToArray());
    }

    [Fact]
    public void Loading_into_a_model_that_does_not_match_changes_nothing_and_says_why()
    {
        string path = PathOf("other.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["layer.W"] = Ramp(2, 3), ["extra"] = Ramp(1) });
        Tensor w = Tensor.Zeros(3, 2), b = Tensor.Zeros(2);
        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.LoadInto(path, Parameters(w, b)));
        Assert.Contains("'layer.W' has shape [2, 3] in the file but [3, 2] in the model", error.Message);
        Assert.Contains("'layer.b' is missing", error.Message);
        Assert.Contains("'extra' is not a parameter of the model", error.Message);
        Assert.Contains("Nothing was loaded", error.Message);
        Assert.All(w.ToArray(), v => Assert.Equal(0f, v));
    }
}
