using System;

namespace Digits;

/// <summary>
/// A one-line progress bar per epoch that redraws in place with a carriage return, and is then
/// replaced by the epoch's summary. When the output is redirected (a file, a pipe, CI logs) a
/// carriage return would leave every frame in the log, so only the summaries are written.
/// </summary>
public sealed class ProgressBar
{
    private const int Width = 30;

    private readonly bool _redraw = !Console.IsOutputRedirected;
    private int _lastLength;

    /// <summary>Shows <paramref name="done"/> of <paramref name="total"/> steps under <paramref name="label"/>.</summary>
    public void Show(string label, int done, int total, string detail)
    {
        if (!_redraw)
        {
            return;
        }
        int filled = total == 0 ? Width : done * Width / total;
        string bar = new string('=', filled) + (filled < Width ? ">" + new string(' ', Width - filled - 1) : "");
        string frame = $"{label} [{bar}] {done,3}/{total}  {detail}";
        // A frame that wraps onto a second line cannot be redrawn with a carriage return.
        int width = Console.WindowWidth;
        if (width > 1 && frame.Length >= width)
        {
            frame = frame[..(width - 1)];
        }
        Write(frame);
    }

    /// <summary>Replaces the bar with <paramref name="summary"/> and moves to the next line.</summary>
    public void Finish(string summary)
    {
        if (_redraw)
        {
            Write(summary);
            Console.WriteLine();
            _lastLength = 0;
        }
        else
        {
            Console.WriteLine(summary);
        }
    }

    private void Write(string text)
    {
        // Pad over whatever is left of a longer previous frame.
        Console.Write("\r" + text.PadRight(_lastLength));
        _lastLength = text.Length;
    }
}
