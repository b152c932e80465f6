using System.Globalization;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;

namespace FromScratch.Bench;

/// <summary>
/// The data and starting weights every workload uses, generated from fixed seeds and written to out/bench/
/// so that bench/compare.py (numpy, PyTorch) runs exactly the same numbers.
/// </summary>
/// <remarks>
/// File format, described again in out/bench/manifest.json: raw little-endian values, no header;
/// ".f64" = float64, ".u8" = uint8; matrices in column-major order (numpy: reshape(shape, order="F")),
/// one column per sample (X is n_features × m), W of a layer is n_l × n_(l−1), b is n_l × 1.
/// </remarks>
public static class BenchData
{
    /// <summary>Seed of every generator in the benchmark.</summary>
    public const int Seed = 20240901;

    /// <summary>Samples in the synthetic MNIST-sized set.</summary>
    public const int SyntheticSamples = 60_000;

    /// <summary>The classic four people of the toy network: (weight − 135 lb, height − 66 in), label 1 = female.</summary>
    public static readonly double[,] ToyX = { { -2, -1 }, { 25, 6 }, { 17, 4 }, { -15, -6 } };

    /// <summary>Labels of <see cref="ToyX"/>.</summary>
    public static readonly double[] ToyY = { 1, 0, 0, 1 };

    /// <summary>Starting weights of the toy 2-2-1 network, in the order w31, w32, w41, w42, w53, w54, b3, b4, b5: standard normal, seeded.</summary>
    public static double[] ToyInitialWeights()
    {
        var rng = new Random(Seed);
        var w = new double[9];
        for (int i = 0; i < 6; i++)
            w[i] = Normal(rng);
        return w; // biases start at 0
    }

    /// <summary>The operands of the GEMM workload: A (64×784) and B (784×128), uniform in [−1, 1), seeded.</summary>
    public static (Matrix<double> A, Matrix<double> B) GemmOperands()
    {
        var rng = new Random(Seed + 1);
        var a = Matrix<double>.Build.Dense(64, 784, (_, _) => 2 * rng.NextDouble() - 1);
        var b = Matrix<double>.Build.Dense(784, 128, (_, _) => 2 * rng.NextDouble() - 1);
        return (a, b);
    }

    /// <summary>
    /// Starting weights of an MLP with layer sizes <paramref name="sizes"/> (e.g. 784, 128, 10): W of layer l is
    /// n_l × n_(l−1) with He-normal entries N(0, 2/n_(l−1)), b is n_l × 1 of zeros. Seeded by the sizes.
    /// </summary>
    public static List<(Matrix<double> W, Matrix<double> B)> InitialWeights(params int[] sizes)
    {
        var rng = new Random(Seed + sizes.Sum());
        var layers = new List<(Matrix<double>, Matrix<double>)>();
        for (int l = 1; l < sizes.Length; l++)
        {
            double std = Math.Sqrt(2.0 / sizes[l - 1]);
            layers.Add((Matrix<double>.Build.Dense(sizes[l], sizes[l - 1], (_, _) => std * Normal(rng)), Matrix<double>.Build.Dense(sizes[l], 1)));
        }
        return layers;
    }

    /// <summary>
    /// The synthetic MNIST-sized set: 60,000 images of 784 pixels (bytes 0–255) in 10 classes, each a noisy copy of
    /// its class's random prototype. Returned as bytes, column-major (pixel p of sample j at p + 784·j), and labels 0–9.
    /// Training code uses X = pixels / 255.
    /// </summary>
    public static (byte[] Pixels, byte[] Labels) Synthetic784()
    {
        var rng = new Random(Seed + 784);
        var prototypes = new double[10, 784];
        for (int c = 0; c < 10; c++)
            for (int p = 0; p < 784; p++)
                prototypes[c, p] = rng.NextDouble() < 0.25 ? 255 * rng.NextDouble() : 0;
        var pixels = new byte[784 * SyntheticSamples];
        var labels = new byte[SyntheticSamples];
        for (int j = 0; j < SyntheticSamples; j++)
        {
            int c = rng.Next(10);
            labels[j] = (byte)c;
            for (int p = 0; p < 784; p++)
                pixels[p + 784 * j] = (byte)Math.Clamp(Math.Round(prototypes[c, p] + 120 * (rng.NextDouble() - 0.5)), 0, 255);
        }
        return (pixels, labels);
    }

    /// <summary>data/digits.csv (1797 samples, 64 pixels 0–16 and a label): X is 64×1797 with pixel/16, one column per sample.</summary>
    public static (Matrix<double> X, byte[] Labels) Digits(string repoRoot)
    {
        string path = Path.Combine(repoRoot, "data", "digits.csv");
        string[] lines = File.ReadAllLines(path);
        int m = lines.Length - 1;
        var x = Matrix<double>.Build.Dense(64, m);
        var labels = new byte[m];
        for (int j = 0; j < m; j++)
        {
            string[] fields = lines[j + 1].Split(',');
            if (fields.Length != 65)
                throw new FormatException($"{path}, line {j + 2}: expected 65 fields (64 pixels and a label), found {fields.Length}.");
            for (int p = 0; p < 64; p++)
                x[p, j] = double.Parse(fields[p], CultureInfo.InvariantCulture) / 16.0;
            labels[j] = byte.Parse(fields[64], CultureInfo.InvariantCulture);
        }
        return (x, labels);
    }

    /// <summary>Writes every data set and starting weight to <paramref name="dir"/>, with manifest.json describing them.</summary>
    public static void WriteAll(string dir, string repoRoot)
    {
        Directory.CreateDirectory(dir);
        var manifest = new Dictionary<string, object>();
        void Matrix(string name, Matrix<double> m)
        {
            WriteAtomically(Path.Combine(dir, name + ".f64"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(Kernels.ColumnMajor.Storage(m).AsSpan()).ToArray());
            manifest[name] = new { file = name + ".f64", dtype = "<f8", shape = new[] { m.RowCount, m.ColumnCount }, order = "F" };
        }
        void Bytes(string name, byte[] data, int rows, int columns)
        {
            WriteAtomically(Path.Combine(dir, name + ".u8"), data);
            manifest[name] = new { file = name + ".u8", dtype = "u1", shape = new[] { rows, columns }, order = "F" };
        }

        Matrix("toy_x", Matrix<double>.Build.DenseOfArray(ToyX).Transpose());  // 2×4, one column per person
        Matrix("toy_y", Matrix<double>.Build.Dense(1, 4, ToyY));
        Matrix("toy_init", Matrix<double>.Build.Dense(9, 1, ToyInitialWeights())); // w31 w32 w41 w42 w53 w54 b3 b4 b5

        var (a, b) = GemmOperands();
        Matrix("gemm_a", a);
        Matrix("gemm_b", b);

        var (digitsX, digitsLabels) = Digits(repoRoot);
        Matrix("digits_x", digitsX);
        Bytes("digits_labels", digitsLabels, 1, digitsLabels.Length);
        foreach (var sizes in new[] { new[] { 64, 32, 10 }, new[] { 784, 128, 10 } })
        {
            var layers = InitialWeights(sizes);
            string net = string.Join("-", sizes);
            for (int l = 0; l < layers.Count; l++)
            {
                Matrix($"init_{net}_W{l + 1}", layers[l].W);
                Matrix($"init_{net}_b{l + 1}", layers[l].B);
            }
        }

        var (pixels, labels) = Synthetic784();
        Bytes("synthetic784_pixels", pixels, 784, SyntheticSamples);
        Bytes("synthetic784_labels", labels, 1, SyntheticSamples);

        var doc = new Dictionary<string, object>
        {
            ["about"] = "Written by bench/FromScratch.Bench. Raw little-endian arrays, column-major (numpy: np.fromfile(f, dtype).reshape(shape, order='F')), one column per sample. digits_x = pixel/16; synthetic784 X = pixels/255.",
            ["seed"] = Seed,
            ["arrays"] = manifest,
        };
        WriteAtomically(Path.Combine(dir, "manifest.json"), JsonSerializer.SerializeToUtf8Bytes(doc, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Writes to a temporary file next to <paramref name="path"/>, then renames it into place.</summary>
    public static void WriteAtomically(string path, byte[] bytes)
    {
        string temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>A standard normal number (Box–Muller), so that the same seed gives the same numbers everywhere.</summary>
    public static double Normal(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(); // in (0, 1]: log is finite
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
