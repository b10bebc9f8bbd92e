// expect: imagine::json: this class is not an aggregate; declare its members in imagine::json::meta<T>::members
#include <imagine/json/read.hpp>

class session {
public:
    explicit session(int id) : id_(id) {}
    int id() const { return id_; }

private:
    int id_;
};

int main()
{
    session s(1);
    return static_cast<int>(imagine::json::read("{}", s).offset) + s.id();
}
