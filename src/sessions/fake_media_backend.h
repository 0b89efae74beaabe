// A MediaBackend for tests: no SFU, just a record of what the session layer
// asked for, answers shaped like the real one's, and switchable failures.
//
// Thread-safety: every method locks; tests read the counters from their
// own thread while the media workers call in.
#ifndef ROOMGATE_SESSIONS_FAKE_MEDIA_BACKEND_H_
#define ROOMGATE_SESSIONS_FAKE_MEDIA_BACKEND_H_

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "sessions/media_backend.h"
#include "sessions/media_sdp.h"

namespace roomgate::sessions::testing {

class FakeMediaBackend final : public MediaBackend {
 public:
  struct Counters {
    int rooms_opened = 0;
    int rooms_closed = 0;
    int published = 0;
    int unpublished = 0;
    int subscribed = 0;
    int started = 0;
    int unsubscribed = 0;
    int moderated = 0;
  };

  Result<std::unique_ptr<MediaRoom>> OpenRoom(const std::string&, int,
                                              FeedListener feeds) override {
    std::lock_guard lock(mu_);
    if (!unavailable_.empty()) return Status(Status::Code::kUnavailable, unavailable_);
    ++counters_.rooms_opened;
    feeds_ = feeds;
    return std::unique_ptr<MediaRoom>(new Room(*this, std::move(feeds)));
  }

  // Whether a publisher's media "flows" at once (else FeedEvent says so).
  void SetAutoLive(bool on) {
    std::lock_guard lock(mu_);
    auto_live_ = on;
  }
  // What the SFU would report about `feed`, to the latest room's listener.
  void FeedEvent(FeedId feed, bool up) {
    FeedListener feeds;
    {
      std::lock_guard lock(mu_);
      feeds = feeds_;
    }
    feeds(feed, up);
  }
  FeedId last_feed() const {
    std::lock_guard lock(mu_);
    return last_feed_;
  }

  // Every later call fails with kUnavailable and `message` ("" heals).
  void SetUnavailable(std::string message) {
    std::lock_guard lock(mu_);
    unavailable_ = std::move(message);
  }
  Counters counters() const {
    std::lock_guard lock(mu_);
    return counters_;
  }

 private:
  class Room final : public MediaRoom {
   public:
    Room(FakeMediaBackend& b, FeedListener feeds) : b_(b), feeds_(std::move(feeds)) {}
    ~Room() override {
      std::lock_guard lock(b_.mu_);
      ++b_.counters_.rooms_closed;
    }
    Result<PublishAnswer> Publish(const std::string&, const std::string& offer) override {
      std::unique_lock lock(b_.mu_);
      if (!b_.unavailable_.empty()) return Status(Status::Code::kUnavailable, b_.unavailable_);
      ++b_.counters_.published;
      const FeedId feed{++b_.next_id_};
      b_.last_feed_ = feed;
      auto sections = ParseSdpSections(offer);
      if (!sections.ok()) return sections.error();
      for (const SdpSection& s : *sections) mids_[feed].push_back(s.mid);
      const bool live = b_.auto_live_;
      lock.unlock();
      if (live) feeds_(feed, true);  // as the SFU's thread would, later
      return PublishAnswer{feed, "v=0\r\ns=answer\r\n"};
    }
    Status Unpublish(FeedId) override {
      std::lock_guard lock(b_.mu_);
      ++b_.counters_.unpublished;
      return Status::Ok();
    }
    Result<SubscribeOffer> Subscribe(FeedId feed) override {
      std::lock_guard lock(b_.mu_);
      if (!b_.unavailable_.empty()) return Status(Status::Code::kUnavailable, b_.unavailable_);
      ++b_.counters_.subscribed;
      SubscribeOffer offer{SubscriberId{++b_.next_id_}, "v=0\r\ns=offer\r\n", {}};
      int i = 0;
      for (const std::string& mid : mids_[feed])
        offer.streams.push_back({std::to_string(i++), mid});
      return offer;
    }
    Status StartSubscriber(SubscriberId, const std::string&) override {
      std::lock_guard lock(b_.mu_);
      ++b_.counters_.started;
      return Status::Ok();
    }
    Status Unsubscribe(SubscriberId) override {
      std::lock_guard lock(b_.mu_);
      ++b_.counters_.unsubscribed;
      return Status::Ok();
    }
    Status Moderate(FeedId, const std::string&, bool) override {
      std::lock_guard lock(b_.mu_);
      ++b_.counters_.moderated;
      return Status::Ok();
    }

   private:
    FakeMediaBackend& b_;
    const FeedListener feeds_;
    std::map<FeedId, std::vector<std::string>> mids_;
  };

  mutable std::mutex mu_;
  Counters counters_;
  std::string unavailable_;
  uint64_t next_id_ = 100;
  bool auto_live_ = true;
  FeedListener feeds_;
  FeedId last_feed_{};
};

}  // namespace roomgate::sessions::testing

#endif  // ROOMGATE_SESSIONS_FAKE_MEDIA_BACKEND_H_
