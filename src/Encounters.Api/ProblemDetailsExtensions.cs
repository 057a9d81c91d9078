
namespace Encounters;

public static class ProblemDetailsExtensions
{
    /// <summary>The first refusal wins: evaluate <paramref name="next"/> only when there is none yet.</summary>
    public static ProblemDetails Then(this ProblemDetails problem, Func<ProblemDetails> next) =>
        ReferenceEquals(problem, WolverineContinue.NoProblems) ? next() : problem;
}
