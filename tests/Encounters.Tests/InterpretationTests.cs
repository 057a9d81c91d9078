using Encounters.Lab;
using Encounters.Patients;
using Shouldly;

namespace Encounters.Tests;

/// <summary>Flagging as plain functions against the default catalog.</summary>
public class InterpretationTests
{
    private static Analyte Hemoglobin => DefaultCatalog.Tests.Single(t => t.Id == "CBC").Analytes.Single(a => a.Code == "718-7");

    [Theory]
    [InlineData(13.0, AdministrativeSex.Female, 35, "N")]
    [InlineData(13.0, AdministrativeSex.Male, 35, "L")]
    [InlineData(16.0, AdministrativeSex.Female, 35, "H")]
    [InlineData(6.5, AdministrativeSex.Male, 35, "LL")]
    [InlineData(21.0, AdministrativeSex.Female, 35, "HH")]
    [InlineData(11.2, AdministrativeSex.Female, 8, "N")]
    public void values_are_flagged_against_the_range_for_sex_and_age(double value, AdministrativeSex sex, int age, string flag)
    {
        var judged = Interpretation.Judge(Hemoglobin, (decimal)value, sex, age);
        judged.Flag.ShouldBe(flag);
        judged.IsCritical.ShouldBe(flag is "LL" or "HH");
    }

    [Fact]
    public void the_range_used_travels_with_the_value()
    {
        var judged = Interpretation.Judge(Hemoglobin, 13.0m, AdministrativeSex.Male, 40);
        (judged.ReferenceLow, judged.ReferenceHigh, judged.CriticalLow, judged.CriticalHigh).ShouldBe((13.5m, 17.5m, 7.0m, 20.0m));
    }

    [Fact]
    public void age_counts_whole_years()
    {
        Interpretation.AgeInYears(new DateOnly(2000, 6, 15), new DateOnly(2026, 6, 14)).ShouldBe(25);
        Interpretation.AgeInYears(new DateOnly(2000, 6, 15), new DateOnly(2026, 6, 15)).ShouldBe(26);
    }

    [Fact]
    public void percentiles_interpolate_between_ranks()
    {
        TurnaroundEndpoint.Percentile([10, 20, 30, 40], 0.5).ShouldBe(25);
        TurnaroundEndpoint.Percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9).ShouldBe(91);
        TurnaroundEndpoint.Percentile([], 0.5).ShouldBeNull();
    }
}
