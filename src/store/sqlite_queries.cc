#include "store/sqlite_queries.h"

namespace roomgate::store {

Result<int64_t> StartSeq(SqliteConnection& db, std::string_view seq_sql, const std::string& start,
                         const std::string* scope) {
  if (start.empty()) return int64_t{0};
  auto st = db.Prepare(seq_sql);
  if (!st.ok()) return st.error();
  st->BindText(1, start);
  if (scope != nullptr) st->BindText(2, *scope);
  auto row = st->Step();
  if (!row.ok()) return row.error();
  if (!*row) return UnknownCursorError();
  return st->ColumnInt(0);
}

Status RunWrite(SqliteStatement& st, const std::string& what) {
  Status s = st.Run();
  if (s.code() == Status::Code::kAlreadyExists) return AlreadyExistsError(what);
  return s;
}

}  // namespace roomgate::store
