using Encounters.Encounters;
using Shouldly;
using static Encounters.Encounters.EncounterStatus;
using Command = Encounters.Encounters.EncounterTransitions.Command;

namespace Encounters.Tests;

/// <summary>The state machine as plain functions: no host, no database.</summary>
public class EncounterTransitionTests
{
    [Theory]
    [InlineData(Planned, true)]
    [InlineData(Arrived, false)]
    [InlineData(Triaged, false)]
    [InlineData(InProgress, false)]
    [InlineData(Finished, false)]
    [InlineData(Cancelled, false)]
    [InlineData(EnteredInError, false)]
    public void check_in_only_from_planned(EncounterStatus from, bool allowed) =>
        EncounterTransitions.Allows(from, Command.CheckIn).ShouldBe(allowed);

    [Theory]
    [InlineData(Planned, true)]
    [InlineData(Arrived, true)]
    [InlineData(Triaged, true)]
    [InlineData(InProgress, false)]
    [InlineData(Finished, false)]
    [InlineData(Cancelled, false)]
    public void cancel_only_before_the_consult(EncounterStatus from, bool allowed) =>
        EncounterTransitions.Allows(from, Command.Cancel).ShouldBe(allowed);

    [Theory]
    [InlineData(Planned, false)]
    [InlineData(Arrived, true)]
    [InlineData(Triaged, true)]
    [InlineData(InProgress, false)]
    [InlineData(OnLeave, false)]
    [InlineData(Finished, false)]
    [InlineData(Cancelled, false)]
    public void leaving_unseen_only_after_arrival_and_before_the_consult(EncounterStatus from, bool allowed) =>
        EncounterTransitions.Allows(from, Command.LeaveWithoutBeingSeen).ShouldBe(allowed);

    [Fact]
    public void a_finished_encounter_never_goes_back_to_in_progress()
    {
        EncounterTransitions.Allows(Finished, Command.StartConsult).ShouldBeFalse();
        EncounterTransitions.Allows(Finished, Command.Return).ShouldBeFalse();
    }

    [Fact]
    public void a_refusal_names_the_current_status()
    {
        var encounter = new Encounter(Guid.NewGuid(), "clinic-1", Guid.NewGuid(), Cancelled);
        var problem = EncounterTransitions.Check(encounter, Command.CheckIn);
        problem.Status.ShouldBe(409);
        problem.Extensions["code"].ShouldBe("encounter.invalid_transition");
        problem.Extensions["currentStatus"].ShouldBe("cancelled");
    }

    [Fact]
    public void check_in_decides_arrived_without_touching_the_loaded_state()
    {
        var encounter = new Encounter(Guid.NewGuid(), "clinic-1", Guid.NewGuid(), Planned) { Version = 1 };
        var (response, events) = CheckInEndpoint.Post(encounter, TimeProvider.System);
        response.Status.ShouldBe(Arrived);
        response.Version.ShouldBe(2);
        events.Single().ShouldBeOfType<PatientCheckedIn>();
        encounter.Status.ShouldBe(Planned);
    }
}
