using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Autodiff.Package.Tests.Harness;
using Xunit;

namespace Autodiff.Package.Tests.Consumer;

/// <summary>
/// What a new user does: one PackageReference to Autodiff in a fresh project outside the repository,
/// restored from a local feed the package was just packed into; then build, run, and read the errors.
/// </summary>
public sealed class ConsumerTests : IClassFixture<PackedPackage>
{
    private readonly PackedPackage _package;

    public ConsumerTests(PackedPackage package)
    {
        _package = package;
        _package.EnsurePacked();
    }

    private static string Project(string extraProperties = "", string extraItems = "") => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            {extraProperties}
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Autodiff" Version="{Repository.Version}" />
            {extraItems}
          </ItemGroup>
        </Project>
        """;

    [Fact]
    public void The_package_holds_runtime_generator_and_build_check_with_real_metadata()
    {
        string[] entries = _package.Entries();
        Assert.Contains("lib/net10.0/Autodiff.Runtime.dll", entries);
        Assert.Contains("lib/net10.0/Autodiff.Runtime.xml", entries);
        Assert.Contains("analyzers/dotnet/cs/Autodiff.Generator.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Autodiff.CodeFixes.dll", entries);
        Assert.Contains("build/Autodiff.targets", entries);
        Assert.Contains("buildTransitive/Autodiff.targets", entries);
        Assert.Contains("README.md", entries);
        Assert.Contains("LICENSE", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generator", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.ChangeExtension(_package.PackagePath, ".snupkg")), "no symbol package");

        XElement nuspec = _package.Nuspec();
        XNamespace ns = nuspec.Name.Namespace;
        XElement metadata = nuspec.Element(ns + "metadata")!;
        Assert.Equal("Autodiff", metadata.Element(ns + "id")!.Value);
        Assert.Equal(Repository.Version, metadata.Element(ns + "version")!.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.Equal("expression", metadata.Element(ns + "license")!.Attribute("type")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        Assert.Equal(Repository.Url, metadata.Element(ns + "repository")!.Attribute("url")!.Value);
        Assert.Equal(Repository.Url, metadata.Element(ns + "projectUrl")!.Value);
        Assert.Contains("automatic-differentiation", metadata.Element(ns + "tags")!.Value);
        Assert.DoesNotContain("Package Description", metadata.Element(ns + "description")!.Value);
        // The generator travels inside the package: it is no dependency of it.
        Assert.Equal(new[] { "System.Numerics.Tensors" },
            metadata.Descendants(ns + "dependency").Select(d => d.Attribute("id")!.Value).ToArray());
        // The build check's help link comes from the same one address.
        Assert.Contains(Repository.Url + "/blob/main/docs/diagnostics.md#adiff017", _package.ReadEntry("build/Autodiff.targets"));
    }

    [Fact]
    public void A_new_project_with_one_package_reference_builds_and_runs()
    {
        ConsumerProject app = _package.NewProject("App")
            .WithFile("App.csproj", Project())
            .WithFile("Program.cs", ConsumerSources.Program)
            .WithFile("Models.cs", ConsumerSources.Models);
        Assert.Single(Regex.Matches(File.ReadAllText(Path.Combine(app.Folder, "App.csproj")), "<PackageReference "));

        CommandResult build = app.Build();
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain("ADIFF017", build.Output);
        Assert.Contains(" 0 Warning(s)", build.Output); // e.g. no CS8032: every assembly in analyzers/ loads
        CommandResult run = app.Run();
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("seed: L = -68, dL/da = -39", run.Output);
        Assert.Contains("finite differences agree", run.Output);
        Assert.Contains("tensor model: loss fell", run.Output);
        Assert.Contains("gradcheck: seed passed, model passed", run.Output);
    }

    [Fact]
    public void Jacobians_and_project_wide_Hessian_vector_products_work_from_the_package_for_arrays_and_tensors()
    {
        ConsumerProject app = _package.NewProject("Modes")
            .WithFile("Modes.csproj", Project("<AutodiffHessianVector>true</AutodiffHessianVector>"))
            .WithFile("Program.cs", ConsumerSources.Modes);
        CommandResult build = app.Build();
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains(" 0 Warning(s)", build.Output);
        CommandResult run = app.Run();
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("jacobian agrees", run.Output);
        Assert.Contains("hessian agrees", run.Output);
        Assert.Contains("tensor modes agree", run.Output);
        Assert.Contains("model modes agree", run.Output);
    }

    [Fact]
    public void Diagnostics_reach_the_build_output_once_each()
    {
        ConsumerProject app = _package.NewProject("Broken")
            .WithFile("Broken.csproj", Project())
            .WithFile("Program.cs", ConsumerSources.Broken);
        CommandResult build = app.Build();
        Assert.NotEqual(0, build.ExitCode);
        // ADIFF001 comes from the analyzer (the front end), ADIFF004 from the generator (the middle end).
        AssertReportedOnce(build, "Program.cs(6,21): error ADIFF001");
        AssertReportedOnce(build, "Program.cs(14,58): error ADIFF004");
        Assert.DoesNotContain("error CS", build.Output);
    }

    [Fact]
    public void The_package_works_with_an_older_compiler_and_CSharp_13()
    {
        // The oldest compiler served here as a toolset package (Roslyn 4.14; the generator targets 4.8,
        // which OldestCompilerTests load in process), and C# 13: the oldest language the runtime's
        // params-span methods (Tensor.Zeros(1, 1)) can be called from.
        ConsumerProject app = _package.NewProject("OldCompiler")
            .WithFile("OldCompiler.csproj", Project(
                "<LangVersion>13</LangVersion><RoslynCompilerType>Custom</RoslynCompilerType>",
                """<PackageReference Include="Microsoft.Net.Compilers.Toolset" Version="4.14.0" />"""))
            .WithFile("Program.cs", ConsumerSources.Program)
            .WithFile("Models.cs", ConsumerSources.Models);
        CommandResult build = DotNet.Run(app.Folder, "build", "--packages", _package.PackagesFolder, "--disable-build-servers", "-nodeReuse:false", "-v:n");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("microsoft.net.compilers.toolset/4.14.0", build.Output.Replace('\\', '/'));
        CommandResult run = app.Run();
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("finite differences agree", run.Output);
    }

    [Fact]
    public void A_project_the_generator_cannot_reach_is_told_so_at_build_time()
    {
        // The generator is a C# generator: an F# project gets the runtime but no gradients, and hears why.
        ConsumerProject app = _package.NewProject("FSharpApp")
            .WithFile("FSharpApp.fsproj", $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                  </PropertyGroup>
                  <ItemGroup>
                    <Compile Include="Program.fs" />
                    <PackageReference Include="Autodiff" Version="{Repository.Version}" />
                  </ItemGroup>
                </Project>
                """)
            .WithFile("Program.fs", "printfn \"%f\" (Autodiff.Grad.Stop 1.0)\n");
        CommandResult build = app.Build();
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("warning ADIFF017: Autodiff's source generator works in C# projects only, and this project is F#", build.Output);
    }

    private static void AssertReportedOnce(CommandResult build, string diagnostic)
    {
        // MSBuild repeats each error in its summary at the end; count the lines before it.
        string beforeSummary = build.Output.Split("Build FAILED.")[0];
        int count = Regex.Matches(beforeSummary, Regex.Escape(diagnostic)).Count;
        Assert.True(count == 1, $"'{diagnostic}' reported {count} times:\n{build}");
    }
}
