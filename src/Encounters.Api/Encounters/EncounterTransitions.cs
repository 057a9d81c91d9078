using static Encounters.Encounters.EncounterStatus;

namespace Encounters.Encounters;

// Encounter commands load their stream with an exclusive row lock ([WriteAggregate(LoadStyle = Exclusive)]):
// background appends (a lab report reaching the encounter) then wait for the clinician's command
// instead of failing it, and retry after it.

/// <summary>The encounter's state machine: which command may move an encounter from which status, and where to.</summary>
public static class EncounterTransitions
{
    public enum Command { CheckIn, RecordVitals, StartConsult, Document, StepOut, Return, Close, Cancel, NoShow, LeaveWithoutBeingSeen, MarkEnteredInError, PlaceOrder, Prescribe }

    /// <summary>From which statuses a command may act, the status it leaves, and the fact it records on the encounter.</summary>
    private sealed record Transition(EncounterStatus[] From, Func<EncounterStatus, EncounterStatus> To, Type? Records = null);

    private static Func<EncounterStatus, EncounterStatus> Becomes(EncounterStatus to) => _ => to;
    private static readonly Func<EncounterStatus, EncounterStatus> Stays = status => status;

    private static readonly Dictionary<Command, Transition> Table = new()
    {
        [Command.CheckIn] = new([Planned], Becomes(Arrived), typeof(PatientCheckedIn)),
        // The first vitals triage an arrived patient.
        [Command.RecordVitals] = new([Arrived, Triaged, InProgress], s => s == Arrived ? Triaged : s, typeof(VitalSignsRecorded)),
        [Command.StartConsult] = new([Arrived, Triaged], Becomes(InProgress), typeof(ConsultStarted)),
        // Notes are written during the consult; after close they can only be amended (see DocumentSection).
        [Command.Document] = new([InProgress, OnLeave, Finished], Stays),
        [Command.StepOut] = new([InProgress], Becomes(OnLeave), typeof(PatientSteppedOut)),
        [Command.Return] = new([OnLeave], Becomes(InProgress), typeof(PatientReturned)),
        [Command.Close] = new([InProgress], Becomes(Finished), typeof(EncounterClosed)),
        [Command.Cancel] = new([Planned, Arrived, Triaged], Becomes(Cancelled), typeof(EncounterCancelled)),
        [Command.NoShow] = new([Planned], Becomes(Cancelled), typeof(PatientDidNotAttend)),
        [Command.LeaveWithoutBeingSeen] = new([Arrived, Triaged], Becomes(Cancelled), typeof(PatientLeftWithoutBeingSeen)),
        [Command.MarkEnteredInError] = new([Planned, Arrived, Triaged, InProgress, OnLeave, Finished, Cancelled], Becomes(EnteredInError),
            typeof(EncounterMarkedEnteredInError)),
        // Work ordered within the visit, on other modules' streams.
        [Command.PlaceOrder] = new([Arrived, Triaged, InProgress], Stays),
        [Command.Prescribe] = new([InProgress], Stays),
    };

    private static readonly Dictionary<Type, Transition> ByFact = Table.Values.Where(t => t.Records is not null).ToDictionary(t => t.Records!);

    /// <summary>The status after one of the encounter's facts: the write model and every view derive it here.</summary>
    public static EncounterStatus After(EncounterStatus status, object fact) =>
        ByFact.TryGetValue(fact.GetType(), out var transition) ? transition.To(status) : status;

    /// <summary>The statuses a command may act from, as an API message lists them.</summary>
    public static string[] From(Command command) => Table[command].From.Select(Name).ToArray();

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

    public static string Name(EncounterStatus status) => ApiText.Of(status);

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
        Command.LeaveWithoutBeingSeen => "record as left without being seen",
        Command.MarkEnteredInError => "mark as entered in error",
        Command.PlaceOrder => "order tests for",
        Command.Prescribe => "prescribe for",
        _ => command.ToString(),
    };
}
