namespace Encounters.Scheduling;

/// <summary>Working hours on one weekday (UTC, like every scheduling time here), start before end.</summary>
public record WorkingHours(DayOfWeek Day, TimeOnly Start, TimeOnly End);

/// <summary>A clinician's working week at one facility and the length of a bookable slot (FHIR Schedule).</summary>
public sealed class ClinicianSchedule
{
    public string Id { get; set; } = "";
    public string FacilityId { get; set; } = "";
    public string ClinicianId { get; set; } = "";
    public string? ClinicianName { get; set; }
    public int SlotMinutes { get; set; }
    public WorkingHours[] Hours { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }

    public static string IdFor(string facility, string clinician) => $"{facility}|{clinician}";

    /// <summary>The interval lies inside one block of working hours on its day.</summary>
    public bool Covers(DateTimeOffset start, DateTimeOffset end)
    {
        var day = start.UtcDateTime.Date;
        return Hours.Any(h => h.Day == day.DayOfWeek && day + h.Start.ToTimeSpan() <= start.UtcDateTime && end.UtcDateTime <= day + End(h));
    }

    public IEnumerable<WorkingHours> On(DateOnly date) => Hours.Where(h => h.Day == date.DayOfWeek).OrderBy(h => h.Start);

    /// <summary>Midnight as the end of a block means the end of the day.</summary>
    public static TimeSpan End(WorkingHours h) => h.End == TimeOnly.MinValue ? TimeSpan.FromDays(1) : h.End.ToTimeSpan();
}
