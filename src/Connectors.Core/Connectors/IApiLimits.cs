namespace Connectors.Core.Connectors;

/// <summary>
/// What a vendor's API allows in one call and what each call costs against a daily credit allowance,
/// so that a run can plan its calls before it makes them and account for them afterwards (calls made
/// against the fewest the work could have taken). Optional: a connector without it is not planned.
/// </summary>
public interface IApiLimits
{
    /// <summary>The most records one call of <paramref name="operation"/> handles in <paramref name="stream"/>.</summary>
    int RecordsPerCall(ApiOperation operation, string stream);

    /// <summary>The credits one call of <paramref name="operation"/> carrying <paramref name="records"/> records costs; 0 when the vendor keeps no credit count.</summary>
    int CreditsPerCall(ApiOperation operation, int records);
}
