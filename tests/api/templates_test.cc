// Prompt template sets and str.format-compatible formatting.
#include "api/templates.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "common/test_paths.h"

namespace cliprt::api {
namespace {

std::string TemplatesDir() { return testing::TestDataDir() + "/../../models/templates/"; }

TEST(Templates, BuiltinSetsEqualTheShippedFiles) {
  for (auto set : {BuiltinTemplateSet::kImageNet80, BuiltinTemplateSet::kOpenClip7, BuiltinTemplateSet::kSingle}) {
    auto from_file = LoadTemplatesFile(TemplatesDir() + BuiltinTemplateSetName(set) + ".txt");
    ASSERT_TRUE(from_file.ok()) << from_file.status().ToString();
    EXPECT_EQ(*from_file, BuiltinTemplates(set)) << BuiltinTemplateSetName(set);
  }
  EXPECT_EQ(BuiltinTemplates(BuiltinTemplateSet::kImageNet80).size(), 80u);
  EXPECT_EQ(BuiltinTemplates(BuiltinTemplateSet::kOpenClip7).size(), 7u);
  // REFERENCE.md §5.2: the notebook order starts and ends like this.
  EXPECT_EQ(BuiltinTemplates(BuiltinTemplateSet::kImageNet80).front(), "a bad photo of a {}.");
  EXPECT_EQ(BuiltinTemplates(BuiltinTemplateSet::kImageNet80).back(), "a tattoo of the {}.");
  EXPECT_EQ(BuiltinTemplates(BuiltinTemplateSet::kOpenClip7).front(), "itap of a {}.");
  EXPECT_EQ(BuiltinTemplates(BuiltinTemplateSet::kSingle), std::vector<std::string>{"a photo of a {}."});
  auto parsed = ParseBuiltinTemplateSet("openclip7");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, BuiltinTemplateSet::kOpenClip7);
  EXPECT_FALSE(ParseBuiltinTemplateSet("imagenet").ok());
}

TEST(Templates, FormatLikePythonStrFormat) {
  EXPECT_EQ(*FormatTemplate("a photo of a {}.", "dog"), "a photo of a dog.");
  EXPECT_EQ(*FormatTemplate("{} and {}", "x"), "x and x");
  EXPECT_EQ(*FormatTemplate("{{literal}} {}", "y"), "{literal} y");
  EXPECT_EQ(*FormatTemplate("a {}", "{}"), "a {}");  // the label is inserted verbatim
  EXPECT_EQ(*FormatTemplate("café {}", "crème"), "café crème");
  EXPECT_FALSE(FormatTemplate("a {0}", "x").ok());
  EXPECT_FALSE(FormatTemplate("a } {}", "x").ok());
  EXPECT_FALSE(FormatTemplate("no field", "x").ok());
}

TEST(Templates, ParseNamesTheBadLine) {
  auto ok = ParseTemplates("a {}\r\n\n  \nthe {} here\n", "mine.txt");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(*ok, (std::vector<std::string>{"a {}", "the {} here"}));
  auto bad = ParseTemplates("a {}\n\nno label here\n", "mine.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("mine.txt:3"), std::string::npos) << bad.status().message();
  EXPECT_FALSE(ParseTemplates("\n\n", "empty.txt").ok());
  EXPECT_FALSE(ParseTemplates(std::string(kMaxTemplateFileBytes + 1, 'a'), "big.txt").ok());
  EXPECT_EQ(LoadTemplatesFile("/nonexistent/templates.txt").status().code(), StatusCode::kNotFound);
}

TEST(Templates, UserFileRoundTrip) {
  const std::string path = ::testing::TempDir() + "/cliprt_templates_test.txt";
  {
    std::ofstream out(path);
    out << "a sketch of a {}.\nart of the {}.\n";
  }
  auto t = LoadTemplatesFile(path);
  std::remove(path.c_str());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->size(), 2u);
}

TEST(Templates, ExpandPromptsIsClassMajor) {
  const std::vector<std::string> labels = {"cat", "dog"};
  const std::vector<std::string> templates = {"a {}", "the {}!"};
  auto p = ExpandPrompts(labels, templates);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, (std::vector<std::string>{"a cat", "the cat!", "a dog", "the dog!"}));
  EXPECT_FALSE(ExpandPrompts({}, templates).ok());
  EXPECT_FALSE(ExpandPrompts(labels, {}).ok());
  const std::vector<std::string> bad = {"a {}", "oops"};
  auto e = ExpandPrompts(labels, bad);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("template 1"), std::string::npos) << e.status().message();
}

}  // namespace
}  // namespace cliprt::api
