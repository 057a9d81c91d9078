using static Encounters.Encounters.EncounterStatus;

namespace Encounters.Encounters;

// Encounter commands load their stream with an exclusive row lock ([WriteAggregate(LoadStyle = Exclusive)]):
// background appends (a lab report reaching the encounter) then wait for the clinician's command
// instead of failing it, and retry after it.

/// <summary>The encounter's state machine: which command may move an encounter from which status, and where to.</summary>
public static class EncounterTransitions
{
    public enum Command { CheckIn, RecordVitals, StartConsult, Document, StepOut, Return, Close, Cancel, NoShow, MarkEnteredInError }

    private static readonly Dictionary<Command, (EncounterStatus[] From, EncounterStatus? To)> Table = new()
    {
        [Command.CheckIn] = ([Planned], Arrived),
        [Command.RecordVitals] = ([Arrived, Triaged, InProgress], null), // first vitals triage an arrived patient
        [Command.StartConsult] = ([Arrived, Triaged], InProgress),
        // Notes are written during the consult; after close they can only be amended (see DocumentSection).
        [Command.Document] = ([InProgress, OnLeave, Finished], null),
        [Command.StepOut] = ([InProgress], OnLeave),
        [Command.Return] = ([OnLeave], InProgress),
        [Command.Close] = ([InProgress], Finished),
        [Command.Cancel] = ([Planned, Arrived, Triaged], Cancelled),
        [Command.NoShow] = ([Planned], Cancelled),
        [Command.MarkEnteredInError] = ([Planned, Arrived, Triaged, InProgress, OnLeave, Finished, Cancelled], EnteredInError),
    };

    /// <summary>
    /// The refusals every encounter command shares, in the order a caller should learn of them: an
    /// encounter of another facility (404), a stale If-Match (412), bad input (400), an illegal move (409).
    /// </summary>
    public static ProblemDetails Check(Scope.CurrentScope scope, Encounter encounter, Command command,
        Dictionary<string, string[]>? errors = null) =>
        Problems.Validation(errors ?? [])
            .Then(() => Check(encounter, command));

    public static bool Allows(EncounterStatus from, Command command) => Table[command].From.Contains(from);

    /// <summary>409 <c>encounter.invalid_transition</c> with the current status, or no problem.</summary>
    public static ProblemDetails Check(Encounter encounter, Command command) =>
        Allows(encounter.Status, command)
            ? WolverineContinue.NoProblems
            : Problems.Conflict("encounter.invalid_transition",
                $"Cannot {Describe(command)} an encounter that is {Name(encounter.Status)}.",
                new { currentStatus = Name(encounter.Status) });

    public static string Name(EncounterStatus status) => Json(status);

    /// <summary>An enum as the API spells it.</summary>
    public static string Json<T>(T value) where T : struct, Enum => System.Text.Json.JsonSerializer.Serialize(value).Trim('"');

    private static string Describe(Command command) => command switch
    {
        Command.CheckIn => "check in",
        Command.RecordVitals => "record vitals for",
        Command.StartConsult => "start a consult for",
        Command.Document => "document",
        Command.StepOut => "step out of",
        Command.Return => "return to",
        Command.Close => "close",
        Command.Cancel => "cancel",
        Command.NoShow => "mark as no-show",
        Command.MarkEnteredInError => "mark as entered in error",
        _ => command.ToString(),
    };
}
