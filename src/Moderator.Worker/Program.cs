namespace Moderator.Worker;

public static class Program
{
    public static Task<int> Main(string[] args) => Cli.Build().Parse(args).InvokeAsync();
}
