namespace Encounters.Imaging;

/// <summary>The imaging module's schema: its events, catalog, facility reading policy and read model (one line in Persistence).</summary>
public static class ImagingModule
{
    public static void Configure(StoreOptions opts)
    {
        opts.Events.AddEventTypes([
            typeof(ImagingRequested), typeof(ImagingStudyPerformed), typeof(ImagingStudyNotPerformed), typeof(ImagingReportDrafted),
            typeof(ImagingReportVerified), typeof(ImagingReportReleased), typeof(ImagingCriticalFindingAcknowledged),
        ]);
        ImagingCatalog.Configure(opts);
        ImagingReadingPolicy.Configure(opts);
        ImagingTurnaroundRollup.Configure(opts);
        ImagingView.Configure(opts);
    }
}
