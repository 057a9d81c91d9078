namespace Encounters.Load;

/// <summary>
/// A virtual user of the reference floor: the same visit as <see cref="VirtualUser"/> (same commands, bodies, number of tests,
/// critical share and one read after the same writes), each command an append to the patient's or the encounter's stream.
/// </summary>
public sealed class FloorUser(Api api, Random random, Func<Task<DateTime?>> pace)
{
    private async Task<bool> Write(Guid stream, string kind, object? body, bool readAfter = true)
    {
        var result = await api.Send("clinician", HttpMethod.Post, $"/floor/streams/{stream}/{kind.Replace(' ', '-')}", body ?? new { }, kind,
            null, await pace());
        if (readAfter) await api.Send("clinician", HttpMethod.Get, $"/floor/views/{stream}", null, "read encounter");
        return result is not null;
    }

    public async Task<bool> Visit()
    {
        var (patient, encounter) = (Guid.NewGuid(), Guid.NewGuid());
        if (!await Write(patient, "register patient", new { fullName = $"Patient {random.Next(1_000_000)}", dateOfBirth = "1980-05-17" }, false))
            return false;
        if (!await Write(encounter, "plan encounter", new { patientId = patient, reason = "Fever" }, false)) return false;
        if (!await Write(encounter, "check-in", null)) return false;
        if (!await Write(encounter, "vitals", new { systolicBp = 128, diastolicBp = 82, pulse = 76, temperatureC = 37.1, spO2 = 98 })) return false;
        if (!await Write(encounter, "start consult", null)) return false;
        foreach (var section in new[] { "subjective", "objective" })
            if (!await Write(encounter, "document", new { section, text = $"{section} findings" })) return false;
        var tests = random.Next(2, 4);
        var items = Enumerable.Range(0, tests).Select(_ => Guid.NewGuid()).ToArray();
        if (!await Write(encounter, "place order", new { priority = "routine", items = items.Select(i => new { itemId = i, serviceCode = "GLU" }) }))
            return false;
        if (!await Write(encounter, "collect sample", new { itemIds = items, collectedAt = DateTimeOffset.UtcNow })) return false;
        if (!await Write(encounter, "receive sample", new { barcode = "S-1", receivedAt = DateTimeOffset.UtcNow })) return false;
        var critical = 0;
        foreach (var item in items)
        {
            if (!await Write(encounter, "enter result", new { orderItemId = item, analytes = new[] { new { code = "2345-7", value = 92m } } })) return false;
            if (!await Write(encounter, "verify result", new { orderItemId = item })) return false;
            if (!await Write(encounter, "release result", new { orderItemId = item })) return false;
            if (random.NextDouble() < 0.1) critical++;
        }
        for (var i = 0; i < critical; i++)
            if (!await Write(encounter, "acknowledge critical", new { note = "Acted on" })) return false;
        foreach (var section in new[] { "assessment", "plan" })
            if (!await Write(encounter, "document", new { section, text = section })) return false;
        return await Write(encounter, "close encounter", new { disposition = "discharged" });
    }
}
