using System.Buffers.Binary;
using System.IO.Compression;

namespace FromScratch.Tests.Figures;

/// <summary>
/// A tiny PNG reader for tests: 8-bit RGB or RGBA, not interlaced (what Chromium's canvas writes).
/// Reads the size from IHDR, inflates the IDAT chunks and undoes the per-row filters.
/// </summary>
internal sealed class PngImage
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    private PngImage(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }

    /// <summary>Row-major samples, <see cref="Channels"/> bytes per pixel.</summary>
    public byte[] Pixels { get; }

    /// <summary>Width and height from the IHDR chunk only.</summary>
    public static (int Width, int Height) ReadSize(byte[] png)
    {
        CheckSignature(png);
        if (System.Text.Encoding.ASCII.GetString(png, 12, 4) != "IHDR") throw new InvalidDataException("the first chunk is not IHDR");
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    public static PngImage Decode(byte[] png)
    {
        CheckSignature(png);
        int width = 0, height = 0, channels = 0;
        var idat = new MemoryStream();
        for (int at = 8; at + 8 <= png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var body = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(body);
                height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                byte bitDepth = body[8], colorType = body[9], interlace = body[12];
                if (bitDepth != 8 || interlace != 0 || colorType is not (2 or 6))
                    throw new InvalidDataException($"unsupported PNG: bit depth {bitDepth}, colour type {colorType}, interlace {interlace}");
                channels = colorType == 6 ? 4 : 3;
            }
            else if (type == "IDAT")
            {
                idat.Write(body);
            }
            else if (type == "IEND")
            {
                break;
            }
            at += 12 + length;
        }
        idat.Position = 0;
        using var inflate = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        inflate.CopyTo(raw);
        byte[] filtered = raw.ToArray();
        int stride = width * channels;
        if (filtered.Length != height * (stride + 1))
            throw new InvalidDataException($"inflated {filtered.Length} bytes, expected {height * (stride + 1)} for {width}×{height}×{channels}");
        var pixels = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            byte filter = filtered[y * (stride + 1)];
            for (int x = 0; x < stride; x++)
            {
                int a = x >= channels ? pixels[y * stride + x - channels] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
                int c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
                int value = filtered[y * (stride + 1) + 1 + x];
                value += filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"row {y}: unknown filter {filter}"),
                };
                pixels[y * stride + x] = (byte)value;
            }
        }
        return new PngImage(width, height, channels, pixels);
    }

    /// <summary>Variance of the grey level (mean of R, G, B) over all pixels: 0 for a blank image.</summary>
    public double GreyVariance()
    {
        double sum = 0, sumSquares = 0;
        int n = Width * Height;
        for (int p = 0; p < n; p++)
        {
            double grey = (Pixels[p * Channels] + Pixels[p * Channels + 1] + Pixels[p * Channels + 2]) / 3.0;
            sum += grey;
            sumSquares += grey * grey;
        }
        double mean = sum / n;
        return sumSquares / n - mean * mean;
    }

    /// <summary>Number of pixels within <paramref name="tolerance"/> of the colour "#rrggbb" in every channel.</summary>
    public int CountColor(string hex, int tolerance = 12)
    {
        int r = Convert.ToInt32(hex[1..3], 16), g = Convert.ToInt32(hex[3..5], 16), b = Convert.ToInt32(hex[5..7], 16);
        int count = 0;
        for (int p = 0; p < Width * Height; p++)
        {
            int at = p * Channels;
            if (Math.Abs(Pixels[at] - r) <= tolerance && Math.Abs(Pixels[at + 1] - g) <= tolerance && Math.Abs(Pixels[at + 2] - b) <= tolerance) count++;
        }
        return count;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void CheckSignature(byte[] png)
    {
        if (png.Length < 33 || !png.AsSpan(0, 8).SequenceEqual(Signature))
            throw new InvalidDataException("not a PNG file (bad signature)");
    }
}
