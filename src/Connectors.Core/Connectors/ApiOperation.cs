namespace Connectors.Core.Connectors;

/// <summary>The kinds of call a run plans and accounts for, each with its own per-call limit and credit cost.</summary>
public enum ApiOperation
{
    /// <summary>One page of a stream's records (a list call).</summary>
    List,

    /// <summary>One read of named records by id.</summary>
    ReadByIds,

    /// <summary>One write call (insert, update or upsert).</summary>
    Write,

    /// <summary>One delete call.</summary>
    Delete,

    /// <summary>One page of the vendor's list of deleted records.</summary>
    ListDeleted,

    /// <summary>One count of a stream's records.</summary>
    Count,

    /// <summary>Creating one bulk read job (one result page of the job).</summary>
    BulkReadJob,

    /// <summary>Creating one bulk write job (one uploaded file).</summary>
    BulkWriteJob,

    /// <summary>Any other call a bulk job needs: an upload, a status poll, a result download.</summary>
    BulkStep,
}
