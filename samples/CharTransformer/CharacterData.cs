using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;

namespace CharTransformer;

/// <summary>
/// A text as character ids: the vocabulary is the sorted set of characters it uses (65 for Tiny
/// Shakespeare), and the first 90% is for training, the rest for validation, as nanoGPT splits it.
/// </summary>
public sealed class CharacterData
{
    private readonly char[] _characters;
    private readonly int[] _ids = new int[char.MaxValue + 1];

    private CharacterData(string text)
    {
        _characters = text.Distinct().OrderBy(c => c).ToArray();
        Array.Fill(_ids, -1);
        for (int i = 0; i < _characters.Length; i++)
        {
            _ids[_characters[i]] = i;
        }
        int[] all = Encode(text);
        int split = (int)(0.9 * all.Length);
        Train = all[..split];
        Validation = all[split..];
    }

    public static CharacterData ReadGzip(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return new CharacterData(reader.ReadToEnd());
    }

    public int VocabularySize => _characters.Length;

    public int[] Train { get; }

    public int[] Validation { get; }

    public int[] Encode(string text)
    {
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            ids[i] = _ids[text[i]] >= 0 ? _ids[text[i]] : throw new ArgumentException($"'{text[i]}' is not in the vocabulary.", nameof(text));
        }
        return ids;
    }

    public char Decode(int id) => _characters[id];
}

/// <summary>
/// Random windows of a token sequence: <c>batch</c> windows of <c>time</c> tokens, and the same
/// windows shifted by one as targets. Seeded, and filling the same two arrays every time.
/// </summary>
public sealed class WindowSampler(int[] sequence, int batch, int time, int seed)
{
    private readonly Random _random = new(seed);

    public int[] Tokens { get; } = new int[batch * time];

    public int[] Targets { get; } = new int[batch * time];

    public void Next()
    {
        for (int b = 0; b < batch; b++)
        {
            int start = _random.Next(sequence.Length - time);
            Array.Copy(sequence, start, Tokens, b * time, time);
            Array.Copy(sequence, start + 1, Targets, b * time, time);
        }
    }
}
