// Index file: round trip, a file written by an independent Python writer
// (the documented layout), and hostile files — every truncation, flipped
// bytes, huge counts — as errors, never crashes or huge allocations.
#include "api/index_file_format.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <random>

#include "common/test_paths.h"

namespace cliprt::api {
namespace {

RetrievalIndex MakeIndex(int64_t n, int64_t dim) {
  IndexIdentity id;
  id.dim = dim;
  id.checkpoint_sha256 = "0123abcd";
  id.model_name = "unrecognized";
  id.preprocessing = "preset=openai size=224x224";
  auto index = RetrievalIndex::Create(id);
  EXPECT_TRUE(index.ok());
  std::mt19937 rng(7);
  std::normal_distribution<float> nd;
  std::vector<float> rows(static_cast<size_t>(n * dim));
  for (float& x : rows) x = nd(rng);
  std::vector<uint64_t> ids(n);
  for (int64_t i = 0; i < n; ++i) ids[i] = 77 * static_cast<uint64_t>(i) + 5;
  EXPECT_TRUE(index->Add(ids, rows, id).ok());
  if (n > 2) {
    EXPECT_TRUE(index->Remove(ids[1]).ok());  // exercise a sequence gap
  }
  return std::move(index).value();
}

TEST(IndexFile, RoundTripIsExact) {
  const RetrievalIndex index = MakeIndex(20, 12);
  const std::vector<uint8_t> bytes = SerializeIndex(index);
  auto back = DeserializeIndex(bytes, "memory");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->identity(), index.identity());
  EXPECT_EQ(back->ids(), index.ids());
  EXPECT_EQ(back->sequence(), index.sequence());
  EXPECT_EQ(back->next_sequence(), index.next_sequence());
  EXPECT_EQ(0, std::memcmp(back->embeddings().data(), index.embeddings().data(), index.embeddings().size() * 4));
  EXPECT_EQ(SerializeIndex(*back), bytes);
  const std::vector<float> q(12, 0.5f);
  EXPECT_EQ(*back->Search(q, 1, 5, nullptr), *index.Search(q, 1, 5, nullptr));

  const std::string path = ::testing::TempDir() + "/cliprt_index_test.cliprt-index";
  ASSERT_TRUE(SaveIndex(index, path).ok());
  auto loaded = LoadIndex(path);
  std::remove(path.c_str());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->ids(), index.ids());
  EXPECT_EQ(LoadIndex(path).status().code() == StatusCode::kOk, false);
}

TEST(IndexFile, ReadsTheFileThePythonWriterMade) {
  // tools/fixtures/api_index_corpus.py writes the layout of docs/provenance.md
  // without using cliprt.
  auto index = LoadIndex(cliprt::testing::TestDataDir() + "/api/fuzz/index_file/python_writer.cliprt-index");
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  EXPECT_EQ(index->dim(), 8);
  EXPECT_EQ(index->size(), 3);
  EXPECT_EQ(index->ids(), (std::vector<uint64_t>{10, 20, 30}));
  EXPECT_EQ(index->identity().checkpoint_sha256, "feedbeef");
  auto hits = index->Search(std::vector<float>{0, 1, 0, 0, 0, 0, 0, 0}, 1, 1, nullptr);
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ((*hits)[0][0].id, 20u);  // row 1 is the unit vector e1
}

TEST(IndexFile, EveryTruncationIsAnError) {
  const std::vector<uint8_t> bytes = SerializeIndex(MakeIndex(4, 3));
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto r = DeserializeIndex(std::span<const uint8_t>(bytes.data(), n), "truncated");
    ASSERT_FALSE(r.ok()) << "prefix of " << n << " bytes";
    EXPECT_EQ(r.status().code(), StatusCode::kCorruptData) << n << ": " << r.status().message();
  }
}

TEST(IndexFile, EveryFlippedByteIsAnError) {
  const std::vector<uint8_t> bytes = SerializeIndex(MakeIndex(3, 2));
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::vector<uint8_t> bad = bytes;
    bad[i] ^= 0x40;
    auto r = DeserializeIndex(bad, "flipped");
    EXPECT_FALSE(r.ok()) << "byte " << i;
  }
}

TEST(IndexFile, HugeCountsAreRefusedBeforeAllocating) {
  std::vector<uint8_t> bytes = SerializeIndex(MakeIndex(2, 4));
  const uint64_t huge = uint64_t{1} << 60;
  std::memcpy(bytes.data() + 24, &huge, 8);  // count
  auto r = DeserializeIndex(bytes, "huge");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("byte 24"), std::string::npos) << r.status().message();
  bytes = SerializeIndex(MakeIndex(2, 4));
  std::memcpy(bytes.data() + 40, &huge, 8);  // identity length
  r = DeserializeIndex(bytes, "huge");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("byte 40"), std::string::npos) << r.status().message();
  bytes = SerializeIndex(MakeIndex(2, 4));
  const uint32_t version = 2;
  std::memcpy(bytes.data() + 8, &version, 4);
  EXPECT_EQ(DeserializeIndex(bytes, "v2").status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(LoadIndex("/nonexistent/x.cliprt-index").status().code() == StatusCode::kOk, false);
}

}  // namespace
}  // namespace cliprt::api
