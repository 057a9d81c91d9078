namespace Encounters;

/// <summary>
/// A fact that belongs on a visit's timeline. The module that owns the fact says, beside it, how a clinician would read it:
/// the timeline projection stores one entry per such fact and knows no module's events.
/// </summary>
public interface IVisitFact
{
    Guid EncounterId { get; }

    TimelineLine Describe();
}

/// <summary>A timeline entry's kind (e.g. <c>result.released</c>, filterable by its prefix) and one-line summary.</summary>
public record TimelineLine(string Kind, string Summary);
