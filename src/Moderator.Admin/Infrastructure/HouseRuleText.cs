using Moderator.Core;
using Moderator.Core.Workflow;
using Moderator.Model;

namespace Moderator.Admin.Infrastructure;

/// <summary>Plain-English words for what the model and the platforms do, shown to moderators beside the evidence.</summary>
public static class HouseRuleText
{
    public static string Label(string? codeName) => codeName switch
    {
        "safeguarding" => "Safeguarding",
        "hate" => "Hate",
        "pupil_identification" => "Identifies a pupil",
        "abuse" => "Abuse or bullying",
        "offensive" => "Offensive",
        "spam" => "Spam or unsafe link",
        null or "" or "none" => "No category",
        _ => codeName,
    };

    /// <summary>What the house rule covers, in the words a moderator would use.</summary>
    public static string Rule(string? codeName) => codeName switch
    {
        "safeguarding" => "A risk of harm to a child or adult: an adult seeking private contact with pupils, sexualised remarks, a disclosure of harm or self-harm, or a threat. Hidden at once and sent to the DSL.",
        "hate" => "Abuse aimed at a protected characteristic such as race, religion, sexual orientation, disability or sex. Never tolerated; hidden at once.",
        "pupil_identification" => "Anything that identifies a pupil (full name, or first name with class, address or age) or gives contact details. Only first names or initials may appear on school pages.",
        "abuse" => "Insults, bullying, harassment or defamatory allegations aimed at pupils, parents, staff or the school. An allegation that staff harmed a child also goes to the DSL.",
        "offensive" => "Swearing, sexual or graphic content unsuitable for an audience of children.",
        "spam" => "Unsafe or unrelated links, scams, advertising, or impersonation of the school.",
        _ => "Not covered by a house rule.",
    };

    public static string Verdict(Verdict verdict) => verdict switch
    {
        Model.Verdict.Allow => "Allowed",
        Model.Verdict.Review => "Needs review",
        Model.Verdict.Hide => "Hidden by the model",
        Model.Verdict.HideAndEscalate => "Hidden and escalated",
        _ => verdict.ToString(),
    };

    public static string Verdict(string verdict) => Enum.TryParse<Verdict>(verdict, out var v) ? Verdict(v) : verdict;

    public static string Decision(Decision decision, bool autoHidden) => decision switch
    {
        Core.Workflow.Decision.KeepVisible => autoHidden ? "Restore (show it again)" : "Keep visible",
        Core.Workflow.Decision.Hide => autoHidden ? "Keep hidden" : "Hide",
        Core.Workflow.Decision.Delete => "Delete",
        Core.Workflow.Decision.Escalate => "Hide and escalate to the DSL",
        _ => decision.ToString(),
    };

    public static string DecisionHelp(Decision decision) => decision switch
    {
        Core.Workflow.Decision.KeepVisible => "The comment breaks no house rule. Fair criticism of the school stays visible.",
        Core.Workflow.Decision.Hide => "The comment breaks a house rule. Hidden comments are kept as evidence.",
        Core.Workflow.Decision.Delete => "Remove it from the platform for good. Use rarely: a deleted comment is no longer evidence there.",
        Core.Workflow.Decision.Escalate => "A safeguarding concern: hide it and open an escalation for the DSL.",
        _ => string.Empty,
    };
}
