namespace Connectors.Core.Schema;

/// <summary>The shape of a field's value as JSON carries it, which is what a mapping reads and writes.</summary>
public enum FieldKind
{
    /// <summary>A string (names, e-mails, picklist values, numeric strings such as Shopify's money amounts).</summary>
    Text,

    /// <summary>A JSON number.</summary>
    Number,

    /// <summary>A JSON boolean.</summary>
    Boolean,

    /// <summary>A calendar date written as ISO-8601 text (<c>2026-11-23</c>).</summary>
    Date,

    /// <summary>An instant written as ISO-8601 text with its offset (<c>2026-11-23T09:00:00+01:00</c>).</summary>
    DateTime,

    /// <summary>A JSON object: a nested record, an address, a lookup written as <c>{ "id": … }</c>.</summary>
    Object,

    /// <summary>A JSON array: tags, a multi-select picklist, the rows of a subform.</summary>
    List,
}
