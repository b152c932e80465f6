// Lessons 0–12: a ✘ check stops the cell with this exception.
namespace FromScratch;

/// <summary>
/// A claim checked with <see cref="Check"/> did not hold. The message is one line starting with "✘ "
/// that states the claim, the measured value and what was expected, so the notebook cell (and CI) fails visibly.
/// </summary>
internal sealed class CheckFailedException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public CheckFailedException(string message) : base(message) { }
}
