using FromScratch.Tests.Data;

namespace FromScratch.Tests;

/// <summary>
/// The library is read by learners: its public surface is the course (no plumbing in IntelliSense), the folders the
/// lessons point at hold the math without the fast path's machinery, and every file is short enough to read.
/// </summary>
public class LibraryShapeTests
{
    /// <summary>Every public type, by name. A new one must be something a lesson or a learner uses.</summary>
    private static readonly string[] CourseTypes =
    [
        // the tiny network of lessons 0–4
        "ToyNetwork", "ToyForward", "ToyGradients", "ToySample", "ToyParameter", "ToyActivation", "ToyActivationExtensions",
        "ToyUpdateMode",
        // networks of lessons 8–10
        "Activation", "ElementwiseActivation", "ActivationLayer", "Dense", "DenseCache", "ILayer", "Initializer", "Loss",
        "Metrics", "Network", "NetworkGradientCheck", "GradientCheckReport", "ParameterCheck", "Parameter", "ParameterVector",
        "RandomNumbers", "Shape", "BatchNorm", "BatchNormCache",
        // optimizers and training, lessons 5–7
        "Optimizer", "Sgd", "Momentum", "RmsProp", "Adam", "ExponentiallyWeightedAverage", "LearningRateSchedule",
        "Trainer", "TrainingHistory", "TrainingOutcome", "MiniBatches", "MiniBatch", "DataSplit", "TrainTestSplit", "OneHot",
        "Standardizer", "StandardizationMode",
        // tuning, lesson 10
        "HyperparameterSearch", "HyperparameterSet", "SearchRange", "SearchResult", "Trial", "ScoreGoal",
        // data, figures, checks
        "Csv", "CsvFormatException", "MissingValues", "Dataset", "LabelMap", "Plot", "Figure", "GradientCheck", "Check",
        "CheckFailedException",
    ];

    /// <summary>Machinery a lesson never names: the fast path's kernels and the browser that exports figures.</summary>
    private static readonly string[] Plumbing =
    [
        "Gemm", "GemmBlocked", "GemmWorkers", "DenseView", "ColumnMajor", "Op", "Threading", "ReferenceGemm", "VectorKernels",
        "ReferenceVectorKernels", "TrainingWorkspace", "HeadlessBrowser", "BrowserPage", "BrowserLocator", "BrowserException",
        "BrowserNotFoundException", "FigureExport", "FigureImageRequest", "ImageFormat", "Guard", "AtomicFile",
    ];

    private static string[] ExportedTypeNames() =>
        typeof(Network).Assembly.GetExportedTypes().Select(t => t.Name).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void The_exported_types_are_the_course_types_and_no_more_than_60()
    {
        string[] exported = ExportedTypeNames();
        Assert.Equal(CourseTypes.Order(StringComparer.Ordinal), exported);
        Assert.True(exported.Length <= 60, $"{exported.Length} public types: {string.Join(", ", exported)}");
    }

    [Fact]
    public void No_plumbing_is_public()
    {
        var leaked = ExportedTypeNames().Intersect(Plumbing).ToArray();
        Assert.True(leaked.Length == 0, $"public plumbing: {string.Join(", ", leaked)}");
        // The plumbing still exists (internal): the names above are real, so this list cannot go stale silently.
        var all = typeof(Network).Assembly.GetTypes().Select(t => t.Name).ToHashSet();
        Assert.All(Plumbing.Where(p => p is not ("HeadlessBrowser" or "BrowserPage")), p => Assert.Contains(p, all));
    }
}
