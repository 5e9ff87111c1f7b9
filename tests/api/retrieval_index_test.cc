// Retrieval index: top-k against a brute-force double-precision reference,
// tie order, remove, thread-count invariance, identity checks, errors.
#include "api/retrieval_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "api/sample_provenance.h"

namespace cliprt::api {
namespace {

IndexIdentity Identity(int64_t dim) {
  IndexIdentity id;
  id.dim = dim;
  id.checkpoint_sha256 = "aaaa";
  id.model_name = "test/model";
  id.preprocessing = "preset=openai";
  return id;
}

std::vector<float> RandomRows(int64_t rows, int64_t dim, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> n(0.0f, 1.0f);
  std::vector<float> v(static_cast<size_t>(rows * dim));
  for (float& x : v) x = n(rng);
  return v;
}

double Cosine(const float* a, const float* b, int64_t dim) {
  double ab = 0, aa = 0, bb = 0;
  for (int64_t i = 0; i < dim; ++i) {
    ab += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
  }
  return ab / std::sqrt(aa * bb);
}

TEST(RetrievalIndex, TopKMatchesBruteForce) {
  const int64_t dim = 48, n = 500, q = 7;
  auto index = RetrievalIndex::Create(Identity(dim));
  ASSERT_TRUE(index.ok());
  const std::vector<float> rows = RandomRows(n, dim, 1);
  std::vector<uint64_t> ids(n);
  for (int64_t i = 0; i < n; ++i) ids[i] = 1000 + 3 * static_cast<uint64_t>(i);
  ASSERT_TRUE(index->Add(ids, rows, Identity(dim)).ok());
  const std::vector<float> queries = RandomRows(q, dim, 2);
  auto hits = index->Search(queries, q, 10, nullptr);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  for (int64_t j = 0; j < q; ++j) {
    std::vector<std::pair<double, int64_t>> ref;
    for (int64_t i = 0; i < n; ++i) ref.push_back({Cosine(&queries[j * dim], &rows[i * dim], dim), i});
    std::sort(ref.begin(), ref.end(), [](auto& a, auto& b) { return a.first > b.first; });
    ASSERT_EQ((*hits)[j].size(), 10u);
    for (int r = 0; r < 10; ++r) {
      EXPECT_EQ((*hits)[j][r].id, ids[ref[r].second]) << "query " << j << " rank " << r;
      EXPECT_NEAR((*hits)[j][r].score, ref[r].first, 1e-6);
    }
  }
}

TEST(RetrievalIndex, ResultsDoNotDependOnThreads) {
  const int64_t dim = 33, n = 1001, q = 5;
  auto index = RetrievalIndex::Create(Identity(dim));
  std::vector<uint64_t> ids(n);
  std::iota(ids.begin(), ids.end(), 0);
  // Duplicate rows create exact ties across chunk boundaries.
  std::vector<float> rows = RandomRows(n, dim, 3);
  for (int64_t i = 500; i < n; ++i) std::copy_n(&rows[(i - 500) * dim], dim, &rows[i * dim]);
  ASSERT_TRUE(index->Add(ids, rows, Identity(dim)).ok());
  const std::vector<float> queries = RandomRows(q, dim, 4);
  auto serial = index->Search(queries, q, 25, nullptr);
  ASSERT_TRUE(serial.ok());
  for (int threads : {1, 2, 3, 8}) {
    auto pool = ThreadPool::Create(threads);
    ASSERT_TRUE(pool.ok());
    auto par = index->Search(queries, q, 25, nullptr, pool->get());
    ASSERT_TRUE(par.ok());
    EXPECT_EQ(*par, *serial) << threads << " threads";
  }
}

TEST(RetrievalIndex, BatchedQueriesEqualSingleQueries) {
  const int64_t dim = 40, n = 300, q = 9;
  auto index = RetrievalIndex::Create(Identity(dim));
  std::vector<uint64_t> ids(n);
  std::iota(ids.begin(), ids.end(), 100);
  ASSERT_TRUE(index->Add(ids, RandomRows(n, dim, 8), Identity(dim)).ok());
  const std::vector<float> queries = RandomRows(q, dim, 9);
  auto batched = index->Search(queries, q, 7, nullptr);
  ASSERT_TRUE(batched.ok());
  for (int64_t j = 0; j < q; ++j) {
    auto single = index->Search(std::span<const float>(&queries[j * dim], dim), 1, 7, nullptr);
    ASSERT_TRUE(single.ok());
    EXPECT_EQ((*single)[0], (*batched)[j]) << "query " << j;
  }
  // A copy searches the same; changing the copy does not change the original.
  RetrievalIndex copy = *index;
  ASSERT_TRUE(copy.Remove(ids[0]).ok());
  auto again = index->Search(queries, q, 7, nullptr);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *batched);
}

TEST(RetrievalIndex, EqualScoresInInsertionOrder) {
  const int64_t dim = 4;
  auto index = RetrievalIndex::Create(Identity(dim));
  const std::vector<float> same = {1, 2, 3, 4};
  // Ids deliberately not in insertion order.
  for (uint64_t id : {40, 10, 30, 20}) ASSERT_TRUE(index->Add(std::vector<uint64_t>{id}, same, Identity(dim)).ok());
  auto hits = index->Search(same, 1, 4, nullptr);
  ASSERT_TRUE(hits.ok());
  std::vector<uint64_t> order;
  for (const auto& h : (*hits)[0]) order.push_back(h.id);
  EXPECT_EQ(order, (std::vector<uint64_t>{40, 10, 30, 20}));
  // Remove moves the last entry into the hole; the order must survive.
  ASSERT_TRUE(index->Remove(10).ok());
  hits = index->Search(same, 1, 4, nullptr);
  ASSERT_TRUE(hits.ok());
  order.clear();
  for (const auto& h : (*hits)[0]) order.push_back(h.id);
  EXPECT_EQ(order, (std::vector<uint64_t>{40, 30, 20}));
  // Re-adding an id puts it last among equals.
  ASSERT_TRUE(index->Add(std::vector<uint64_t>{10}, same, Identity(dim)).ok());
  hits = index->Search(same, 1, 10, nullptr);
  EXPECT_EQ((*hits)[0].back().id, 10u);
  EXPECT_EQ((*hits)[0].size(), 4u);  // k clamped to size
}

TEST(RetrievalIndex, RemoveAndGet) {
  const int64_t dim = 8;
  auto index = RetrievalIndex::Create(Identity(dim));
  const std::vector<float> rows = RandomRows(3, dim, 5);
  ASSERT_TRUE(index->Add(std::vector<uint64_t>{1, 2, 3}, rows, Identity(dim)).ok());
  auto two = index->Get(2);
  ASSERT_TRUE(two.ok());
  EXPECT_NEAR(Cosine(two->data(), &rows[dim], dim), 1.0, 1e-6);
  ASSERT_TRUE(index->Remove(1).ok());
  EXPECT_FALSE(index->Contains(1));
  EXPECT_EQ(index->size(), 2);
  EXPECT_EQ(index->Remove(1).code(), StatusCode::kNotFound);
  auto again = index->Get(2);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *two);
  auto hits = index->Search(std::span<const float>(&rows[0], dim), 1, 5, nullptr);
  ASSERT_TRUE(hits.ok());
  for (const auto& h : (*hits)[0]) EXPECT_NE(h.id, 1u);
}

TEST(RetrievalIndex, RefusesMixedIdentitiesNamingBothValues) {
  const int64_t dim = 4;
  auto index = RetrievalIndex::Create(Identity(dim));
  const std::vector<float> row = {1, 0, 0, 0};
  ASSERT_TRUE(index->Add(std::vector<uint64_t>{1}, row, Identity(dim)).ok());
  IndexIdentity other = Identity(dim);
  other.checkpoint_sha256 = "bbbb";
  Status s = index->Add(std::vector<uint64_t>{2}, row, other);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("\"aaaa\""), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("\"bbbb\""), std::string::npos) << s.message();
  other = Identity(dim);
  other.preprocessing = "preset=hf_siglip";
  s = index->Add(std::vector<uint64_t>{2}, row, other);
  EXPECT_NE(s.message().find("preset=hf_siglip"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("preset=openai"), std::string::npos) << s.message();
  // Text embeddings of the same checkpoint join an image index; the tokenizer is adopted.
  IndexIdentity text = Identity(dim);
  text.preprocessing.clear();
  text.tokenizer = "variant=openai";
  EXPECT_TRUE(index->Add(std::vector<uint64_t>{3}, row, text).ok());
  EXPECT_EQ(index->identity().tokenizer, "variant=openai");
  // Queries: only model and dim must match.
  IndexIdentity query = Identity(dim);
  query.preprocessing = "anything";
  EXPECT_TRUE(index->Search(row, 1, 1, &query).ok());
  query.checkpoint_sha256 = "cccc";
  EXPECT_EQ(index->Search(row, 1, 1, &query).status().code(), StatusCode::kFailedPrecondition);
  IndexIdentity wrong_dim = Identity(5);
  EXPECT_EQ(index->Add(std::vector<uint64_t>{9}, std::vector<float>(5, 1), wrong_dim).code(),
            StatusCode::kInvalidArgument);
}

TEST(RetrievalIndex, IdentityFromProvenance) {
  const Provenance p = testing::SampleProvenance();
  IndexIdentity id = IdentityFromProvenance(p, 512);
  EXPECT_EQ(id.checkpoint_sha256, p.model.files[0].sha256);  // the json config is skipped
  EXPECT_EQ(id.preprocessing, PreprocessingKey(*p.preprocess));
  EXPECT_EQ(id.tokenizer, TokenizerKey(*p.tokenizer));
  Provenance q = p;
  q.preprocess->images.clear();  // per-image facts are not part of the identity
  EXPECT_EQ(IdentityFromProvenance(q, 512), id);
  q.preprocess->mean[0] = 0.5f;
  EXPECT_NE(IdentityFromProvenance(q, 512).preprocessing, id.preprocessing);
}

TEST(RetrievalIndex, BadArgumentsAreErrors) {
  EXPECT_FALSE(RetrievalIndex::Create(Identity(0)).ok());
  EXPECT_FALSE(RetrievalIndex::Create(Identity(kMaxIndexDim + 1)).ok());
  const int64_t dim = 3;
  auto index = RetrievalIndex::Create(Identity(dim));
  const std::vector<float> two_rows = {1, 2, 3, 4, 5, 6};
  EXPECT_FALSE(index->Add({}, {}, Identity(dim)).ok());
  EXPECT_FALSE(index->Add(std::vector<uint64_t>{1}, two_rows, Identity(dim)).ok());  // 6 floats for 1 id
  Status dup = index->Add(std::vector<uint64_t>{1, 1}, two_rows, Identity(dim));
  EXPECT_NE(dup.message().find("id 1 appears twice"), std::string::npos) << dup.message();
  std::vector<float> zero = two_rows;
  zero[3] = zero[4] = zero[5] = 0;
  Status z = index->Add(std::vector<uint64_t>{1, 2}, zero, Identity(dim));
  EXPECT_NE(z.message().find("id 2 is all zeros"), std::string::npos) << z.message();
  EXPECT_EQ(index->size(), 0);  // refused batches add nothing
  ASSERT_TRUE(index->Add(std::vector<uint64_t>{1, 2}, two_rows, Identity(dim)).ok());
  EXPECT_NE(index->Add(std::vector<uint64_t>{2}, std::vector<float>{1, 1, 1}, Identity(dim)).message().find("already"),
            std::string::npos);
  EXPECT_FALSE(index->Search(two_rows, 2, 0, nullptr).ok());   // k = 0
  EXPECT_FALSE(index->Search(two_rows, 0, 1, nullptr).ok());   // no queries
  EXPECT_FALSE(index->Search(two_rows, 3, 1, nullptr).ok());   // wrong size
  EXPECT_FALSE(index->Search(std::vector<float>{NAN, 1, 1}, 1, 1, nullptr).ok());
  auto empty = RetrievalIndex::Create(Identity(dim));
  auto none = empty->Search(std::vector<float>{1, 1, 1}, 1, 5, nullptr);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE((*none)[0].empty());
}

}  // namespace
}  // namespace cliprt::api
