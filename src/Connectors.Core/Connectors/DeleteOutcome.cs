namespace Connectors.Core.Connectors;

/// <summary>What became of one id asked to be deleted.</summary>
/// <param name="Id">The record's id.</param>
/// <param name="Deleted">Whether the vendor deleted it (or it was already gone).</param>
/// <param name="Code">The vendor's code when it refused, for example <c>CANNOT_DELETE</c>.</param>
/// <param name="Message">The vendor's message when it refused.</param>
public sealed record DeleteOutcome(string Id, bool Deleted, string? Code = null, string? Message = null);
