using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace Autodiff.Gradients.Tests.Tensors;

/// <summary>
/// Weights moving between this library and PyTorch in the safetensors format, when a PyTorch is
/// installed (apt-get install -y python3-torch); skipped otherwise. Debian's PyTorch 1.13 has no
/// safetensors package, so the script reads and writes the format with PyTorch tensors and the
/// format's definition (struct, json): an implementation of its own, not ours.
/// </summary>
public class PyTorchSafeTensorsTests
{
    private const string Script = """
        import json, struct, sys, torch
        ours, theirs = sys.argv[1], sys.argv[2]

        # Read the file this library wrote.
        with open(ours, "rb") as f:
            raw = f.read()
        (n,) = struct.unpack("<Q", raw[:8])
        header = json.loads(raw[8:8 + n])
        data = raw[8 + n:]
        read = {}
        for name, entry in header.items():
            if name == "__metadata__":
                continue
            assert entry["dtype"] == "F32", entry
            begin, end = entry["data_offsets"]
            t = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(entry["shape"])
            read[name] = {"shape": list(t.shape), "values": t.reshape(-1).tolist()}

        # Write a file from PyTorch tensors: float32, float64, float16 and bfloat16.
        g = torch.Generator().manual_seed(7)
        tensors = {
            "encoder.weight": torch.randn(4, 3, generator=g),
            "encoder.bias": torch.randn(3, generator=g, dtype=torch.float64),
            "head.scale": torch.randn(2, 2, generator=g).to(torch.float16),
            "head.shift": torch.randn(5, generator=g).to(torch.bfloat16),
        }
        names = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16"}
        entries, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
        for name, t in tensors.items():
            blob = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).contiguous().numpy().tobytes()
            entries[name] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
            blobs.append(blob)
            offset += len(blob)
        text = json.dumps(entries).encode()
        text += b" " * ((8 - len(text) % 8) % 8)
        with open(theirs, "wb") as f:
            f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
        expected = {name: {"shape": list(t.shape), "values": t.float().reshape(-1).tolist()} for name, t in tensors.items()}
        json.dump({"read": read, "written": expected}, sys.stdout)
        """;

    [SkippableFact]
    public void Weights_move_both_ways_between_this_library_and_pytorch()
    {
        PyTorchPeer.SkipUnlessInstalled();
        string directory = Directory.CreateTempSubdirectory("autodiff-safetensors-torch-").FullName;
        try
        {
            var ours = new Dictionary<string, Tensor>
            {
                ["blocks.0.attn.Wq"] = Tensor.RandomNormal(3, 0f, 1f, 4, 6),
                ["blocks.0.ln.gamma"] = Tensor.RandomNormal(4, 0f, 1f, 6),
                ["scale"] = Tensor.Scalar(0.125f),
            };
            string oursPath = Path.Combine(directory, "ours.safetensors"), theirsPath = Path.Combine(directory, "theirs.safetensors");
            SafeTensors.Save(oursPath, ours);
            string output = PyTorchPeer.RunScript("safetensors", Script, string.Empty, oursPath, theirsPath);
            using JsonDocument result = JsonDocument.Parse(output);

            // PyTorch read exactly what we wrote.
            foreach ((string name, Tensor tensor) in ours)
            {
                JsonElement read = result.RootElement.GetProperty("read").GetProperty(name);
                Assert.Equal(tensor.Shape.ToArray(), read.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
                Assert.Equal(tensor.ToArray(), read.GetProperty("values").EnumerateArray().Select(e => e.GetSingle()));
            }

            // We read exactly what PyTorch wrote (its half-precision values as it widens them).
            Dictionary<string, Tensor> theirs = SafeTensors.Load(theirsPath);
            foreach (JsonProperty written in result.RootElement.GetProperty("written").EnumerateObject())
            {
                Tensor loaded = theirs[written.Name];
                Assert.Equal(written.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), loaded.Shape.ToArray());
                Assert.Equal(written.Value.GetProperty("values").EnumerateArray().Select(e => (float)e.GetDouble()), loaded.ToArray());
            }
            Assert.Equal("pt", SafeTensors.Metadata(theirsPath)["format"]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
